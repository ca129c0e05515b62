package org.vigie.taxii.server;

import org.vigie.store.CollectionInfo;
import org.vigie.store.ObjectStore;
import org.vigie.store.ObjectStores;
import org.vigie.taxii.auth.PasswordHasher;
import org.vigie.taxii.auth.UserAdministration;
import org.vigie.taxii.client.ClientCredentials;
import org.vigie.taxii.client.TaxiiClient;
import org.vigie.taxii.testing.StixFixtures;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * A measurement, not a test: POST throughput end to end and GET page latency over real HTTP on an SQLite
 * store. Run with {@code java -cp <test classpath> org.vigie.taxii.server.TaxiiThroughput [objects] [batch] [sqlite|memory]}.
 */
public final class TaxiiThroughput
{
    private TaxiiThroughput() {}

    public static void main(String[] arguments)
            throws Exception
    {
        int total = arguments.length > 0 ? Integer.parseInt(arguments[0]) : 1_000_000;
        int batchSize = arguments.length > 1 ? Integer.parseInt(arguments[1]) : 1000;
        Path directory = Files.createTempDirectory("taxii-throughput");
        InstantSource clock = InstantSource.system();
        String collection = "5e0c6b7a-0000-4000-8000-00000000000b";
        boolean memory = arguments.length > 2 && arguments[2].equals("memory");
        try (ObjectStore store = memory ? ObjectStores.inMemory(clock) : ObjectStores.sqlite(directory.resolve("store.db"), clock)) {
            store.createCollection(CollectionInfo.of(collection, "bench"));
            PasswordHasher hasher = PasswordHasher.withIterations(PasswordHasher.DEFAULT_ITERATIONS);
            new UserAdministration(store, hasher, clock).createUser("bench", "bench password", List.of("*"), List.of("*"), false);
            try (TaxiiServer server = TaxiiServer.start(TaxiiServerConfig.defaults().withPort(0), store, clock, hasher, List.of())) {
                TaxiiClient client = TaxiiClient.builder(server.baseUri()).credentials(ClientCredentials.basic("bench", "bench password")).build();
                StixFixtures fixtures = new StixFixtures(1);
                Instant created = Instant.parse("2025-01-01T00:00:00Z");
                long postNanos = 0;
                com.sun.management.OperatingSystemMXBean system = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
                long cpuBefore = system.getProcessCpuTime();
                for (int done = 0; done < total; done += batchSize) {
                    List<String> batch = new ArrayList<>(batchSize);
                    for (int index = 0; index < batchSize && done + index < total; index++) {
                        batch.add(StixFixtures.indicator(fixtures.newId("indicator"), created, created.plusMillis(index)));
                    }
                    long start = System.nanoTime();
                    int stored = client.addObjects(collection, batch).successCount();
                    postNanos += System.nanoTime() - start;
                    if (stored != batch.size()) {
                        throw new IllegalStateException("stored " + stored + " of " + batch.size());
                    }
                }
                long cpuNanos = system.getProcessCpuTime() - cpuBefore;
                System.out.printf("POST: %d objects in batches of %d: %.0f objects/s wall, %.0f objects per CPU-second (client and server in this process), load average %.1f%n",
                        total, batchSize, total / (postNanos / 1e9), total / (cpuNanos / 1e9), system.getSystemLoadAverage());

                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                String authorization = "Basic " + Base64.getEncoder().encodeToString("bench:bench password".getBytes());
                URI objects = server.baseUri().resolve("vigie/collections/" + collection + "/objects/");
                // Page starts spread over the whole collection, from dates added taken from the manifest of sampled pages.
                Random random = new Random(3);
                int requests = 1000;
                long[] latencies = new long[requests];
                Instant first = Instant.parse(client.manifest(collection, org.vigie.taxii.client.ObjectsQuery.all().withLimit(1)).objects().get(0).dateAdded());
                Instant last = clock.instant();
                for (int index = -100; index < requests; index++) {
                    long offset = (long) (random.nextDouble() * (last.toEpochMilli() - first.toEpochMilli()));
                    String addedAfter = org.vigie.stix.Timestamps.formatMicros(first.plusMillis(offset));
                    HttpRequest request = HttpRequest.newBuilder(URI.create(objects + "?limit=100&added_after=" + addedAfter))
                            .header("Authorization", authorization)
                            .header("Accept", TaxiiClient.TAXII_MEDIA_TYPE)
                            .build();
                    long start = System.nanoTime();
                    HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    long elapsed = System.nanoTime() - start;
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("GET answered " + response.statusCode());
                    }
                    if (index >= 0) {
                        latencies[index] = elapsed;
                    }
                }
                Arrays.sort(latencies);
                System.out.printf("GET limit=100 at random added_after over %d objects: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                        total, latencies[requests / 2] / 1e6, latencies[requests * 99 / 100] / 1e6, latencies[requests - 1] / 1e6);
            }
        }
    }
}
