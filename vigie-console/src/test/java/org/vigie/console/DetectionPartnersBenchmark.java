package org.vigie.console;

import org.vigie.exchange.database.ExchangeDatabase;
import org.vigie.exchange.service.ExchangeConfig;
import org.vigie.store.CollectionInfo;
import tools.jackson.databind.JsonNode;

import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Detection screen's per-partner table over many sightings received from partners (a benchmark, not a
 * test): a console node ({@link ConsoleNode}, SQLite) with SIGHTINGS sightings in the exchange's inbox
 * collection, each with its provenance row (half from each of two partners), answers
 * {@code GET /console/api/detection/sightings} ROUNDS times after a few warm-up requests; prints the median,
 * lowest and highest of the whole answer (round trip) and of its {@code partners} stage (Server-Timing), and
 * the process CPU time of the measured requests. Command (docs/BENCHMARKS.md):
 * <pre>
 * mvn -B -q -o -pl vigie-console -am install -DskipTests
 * mvn -B -q -o -pl vigie-console dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/vigie-console-test-cp.txt
 * java -cp vigie-console/target/test-classes:vigie-console/target/classes:$(cat /tmp/vigie-console-test-cp.txt) \
 *     org.vigie.console.DetectionPartnersBenchmark 10000 20
 * </pre>
 */
public final class DetectionPartnersBenchmark
{
    private static final String INBOX = ExchangeConfig.defaults().inboxCollection();
    private static final Pattern PARTNERS_STAGE = Pattern.compile("partners;dur=([0-9.]+)");

    private DetectionPartnersBenchmark() {}

    public static void main(String[] arguments)
            throws Exception
    {
        int sightings = wholeNumber(arguments, 0, 10_000);
        int rounds = wholeNumber(arguments, 1, 20);
        Path directory = Files.createTempDirectory("vigie-detection-partners");
        try (ConsoleNode node = new ConsoleNode(directory)) {
            node.store.createCollection(CollectionInfo.of(INBOX, "Inbox"));
            String indicator = ConsoleNode.id("indicator");
            node.add(INBOX, ConsoleSharingApiTest.indicator(indicator, "Received C2", "203.0.113.7", org.vigie.stix.markings.TlpMarkings.Tlp.GREEN.id()));
            List<String> ids = new ArrayList<>();
            List<String> batch = new ArrayList<>();
            for (int index = 0; index < sightings; index++) {
                String json = ConsoleSharingApiTest.sighting(indicator, "2026-03-01T" + String.format(Locale.ROOT, "%02d:%02d:00Z", index / 60 % 24, index % 60), 1 + index % 5, null);
                ids.add(ConsoleJson.MAPPER.readTree(json).get("id").stringValue());
                batch.add(json);
                if (batch.size() == 1_000 || index == sightings - 1) {
                    node.add(INBOX, batch.toArray(String[]::new));
                    batch.clear();
                }
            }
            recordProvenance(directory.resolve("exchange.db"), ids);
            node.console.awaitSearchIndex();
            ConsoleHttp client = new ConsoleHttp(node);
            String token = client.login("admin");
            JsonNode answer = client.get(token, "/console/api/detection/sightings");
            System.out.printf("per_partner: %s%n", answer.get("per_partner"));
            HttpClient http = HttpClient.newHttpClient();
            for (int warmUp = 0; warmUp < 3; warmUp++) {
                request(http, node, token);
            }
            List<Double> totals = new ArrayList<>();
            List<Double> partners = new ArrayList<>();
            long cpuBefore = processCpuNanoseconds();
            for (int round = 0; round < rounds; round++) {
                long start = System.nanoTime();
                HttpResponse<String> response = request(http, node, token);
                totals.add((System.nanoTime() - start) / 1e6);
                Matcher matcher = PARTNERS_STAGE.matcher(response.headers().firstValue("Server-Timing").orElse(""));
                partners.add(matcher.find() ? Double.parseDouble(matcher.group(1)) : Double.NaN);
            }
            long cpu = processCpuNanoseconds() - cpuBefore;
            System.out.printf(Locale.ROOT, "%d inbox sightings, %d requests: answer p50 %.1f ms (min %.1f, max %.1f); partners stage p50 %.1f ms (min %.1f, max %.1f); process CPU %.1f ms per request%n",
                    sightings, rounds, median(totals), Collections.min(totals), Collections.max(totals), median(partners), Collections.min(partners), Collections.max(partners),
                    cpu / 1e6 / rounds);
        }
        finally {
            try (java.util.stream.Stream<Path> files = Files.walk(directory)) {
                for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    // The rows the exchange's inbox writes when it stores a received object; written here directly to set up many at once.
    private static void recordProvenance(Path file, List<String> ids)
    {
        try (ExchangeDatabase database = ExchangeDatabase.sqlite(file)) {
            database.inTransaction("record the benchmark's provenance", connection -> {
                try (PreparedStatement statement = connection.prepareStatement("INSERT INTO vigie_exchange_received_object "
                        + "(object_id, object_version, partner_id, envelope_id, handling, marking_ids, received_at) VALUES (?, ?, ?, ?, '[]', '[]', ?)")) {
                    for (int index = 0; index < ids.size(); index++) {
                        statement.setString(1, ids.get(index));
                        statement.setString(2, "2026-03-01T00:00:00.000Z");
                        statement.setString(3, index % 2 == 0 ? ConsoleExchangeFixture.BRAVO : ConsoleExchangeFixture.CHARLIE);
                        statement.setString(4, "envelope--" + (index / 100));
                        statement.setLong(5, 1_772_000_000_000L + index);
                        statement.addBatch();
                    }
                    statement.executeBatch();
                }
                return null;
            });
        }
    }

    private static HttpResponse<String> request(HttpClient http, ConsoleNode node, String token)
            throws Exception
    {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(node.uri("/console/api/detection/sightings")).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the Detection screen answered " + response.statusCode() + ": " + response.body());
        }
        return response;
    }

    private static int wholeNumber(String[] arguments, int index, int otherwise)
    {
        return arguments.length > index ? Integer.parseInt(arguments[index]) : otherwise;
    }

    private static double median(List<Double> values)
    {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static long processCpuNanoseconds()
    {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
