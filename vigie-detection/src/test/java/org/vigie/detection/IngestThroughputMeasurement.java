package org.vigie.detection;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.stix.StixObject;
import org.vigie.stix.json.StixJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A measurement, not a timed test: observations per second through {@code POST /ingest/...} with 10,000
 * indicators loaded, over real HTTP into an SQLite store. It only runs when asked for, because it takes
 * about a minute and its figure depends on the machine:
 * {@code mvn -B -q -o -pl vigie-detection install -Dtest=IngestThroughputMeasurement -Dsurefire.failIfNoSpecifiedTests=false -Dvigie.measure=true}
 */
@EnabledIfSystemProperty(named = "vigie.measure", matches = "true", disabledReason = "a measurement for docs/BENCHMARKS.md; run with -Dvigie.measure=true")
class IngestThroughputMeasurement
{
    private static final int INDICATORS = 10_000;
    private static final int BATCHES = 60;
    private static final int WARM_UP_BATCHES = 10;
    private static final int OBSERVATIONS_PER_BATCH = 200;
    /** One observation in this many is of an indicator's address. */
    private static final int MATCH_EVERY = 50;
    private static final Instant OBSERVED = Instant.parse("2026-02-28T12:00:00Z");

    @TempDir
    Path directory;

    @Test
    void observationsPerSecondWithTenThousandIndicators()
    {
        try (DetectionNode node = new DetectionNode(directory)) {
            List<StixObject> indicators = new ArrayList<>();
            for (int index = 0; index < INDICATORS; index++) {
                String pattern = index % 2 == 0
                        ? "[ipv4-addr:value = '" + address(index) + "']"
                        : "[domain-name:value = 'host-" + index + ".example'] OR [ipv4-addr:value = '" + address(index) + "']";
                indicators.add(Stix.stixObject(Stix.indicator(Stix.newId("indicator"), pattern, Stix.CREATED)));
            }
            node.store.addObjects(DetectionNode.INDICATORS, indicators);
            long loadStart = System.nanoTime();
            node.detection.refresh();
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            assertThat(node.detection.status().indicators()).isEqualTo(INDICATORS);

            List<String> bodies = new ArrayList<>();
            int expectedMatches = 0;
            int sequence = 0;
            for (int batch = 0; batch < BATCHES; batch++) {
                List<JsonNode> objects = new ArrayList<>();
                for (int index = 0; index < OBSERVATIONS_PER_BATCH; index++) {
                    sequence++;
                    boolean match = sequence % MATCH_EVERY == 0;
                    ObjectNode observable = match ? Stix.ipv4(address(sequence % INDICATORS)) : Stix.ipv4("172.16." + (sequence / 250) % 250 + "." + sequence % 250);
                    objects.addAll(Stix.observation(OBSERVED, observable));
                    if (match && batch >= WARM_UP_BATCHES) {
                        expectedMatches++;
                    }
                }
                bodies.add(StixJson.compact(Stix.bundle(objects)));
            }

            String path = "/ingest/" + DetectionNode.INDICATORS + "/observations";
            long start = 0;
            int matches = 0;
            for (int batch = 0; batch < BATCHES; batch++) {
                if (batch == WARM_UP_BATCHES) {
                    start = System.nanoTime();
                }
                HttpResponse<String> response = node.post(path, "analyst", bodies.get(batch));
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                if (batch >= WARM_UP_BATCHES) {
                    matches += StixJson.parse(response.body()).get("matches").asInt();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            int measured = (BATCHES - WARM_UP_BATCHES) * OBSERVATIONS_PER_BATCH;
            assertThat(matches).isEqualTo(expectedMatches);
            System.out.printf(Locale.ROOT, "indicators=%d initial-load=%.2fs observations=%d batch=%d matches=%d time=%.2fs throughput=%.0f observations/s%n",
                    INDICATORS, loadSeconds, measured, OBSERVATIONS_PER_BATCH, matches, seconds, measured / seconds);
        }
    }

    private static String address(int index)
    {
        return "10." + (index / 65536) % 256 + "." + (index / 256) % 256 + "." + index % 256;
    }
}
