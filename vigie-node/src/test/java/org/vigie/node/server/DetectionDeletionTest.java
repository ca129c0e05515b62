package org.vigie.node.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.node.config.NodeConfig;
import org.vigie.store.ObjectStore;
import org.vigie.store.VersionFilter;
import org.vigie.taxii.auth.PasswordHasher;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigie.node.server.DetectionRequests.indicator;
import static org.vigie.node.testing.Polling.await;

/**
 * On the embedded node, over real HTTP: an indicator deleted over TAXII stops matching at once (its newest version
 * deleted, the older one matches again; every version deleted, nothing matches and {@code /metrics} counts one
 * indicator fewer), and so does one committed by another process on the same store. The matcher's own refresh is
 * set to an hour, and it reads only versions added anyway, so only the deletion's event can bring the change. Each
 * deletion reaches the matcher once, from the store's log ({@link DetectionDeletions} counts them): the request that
 * deleted over TAXII is answered once the log's follower has applied it.
 */
class DetectionDeletionTest
{
    private static final String OLDER_ADDRESS = "198.51.100.20";
    private static final String NEWER_ADDRESS = "198.51.100.21";
    private static final String OTHER_ADDRESS = "198.51.100.22";
    private static final String NEWER_VERSION = "2026-01-02T00:00:00.000Z";

    @TempDir
    Path directory;

    private final DetectionRequests requests = new DetectionRequests();

    @Test
    void deletionOverTaxiiReachesTheLiveMatcher()
    {
        NodeConfig config = NodeConfig.load(directory.resolve("data"), Map.of("http.port", "0", "detection.enabled", "true", "detection.refresh-interval", "1h"));
        try (VigieNode node = VigieNode.start(config, InstantSource.system(), NodeStores::open, PasswordHasher.withIterations(1_000))) {
            String collection = node.initialization().createdCollection().orElseThrow().id();
            String basic = DetectionRequests.administrator(node);
            String indicatorId = "indicator--" + UUID.randomUUID();
            requests.addObjects(node, basic, collection, List.of(
                    indicator(indicatorId, "2026-01-01T00:00:00.000Z", OLDER_ADDRESS),
                    indicator(indicatorId, NEWER_VERSION, NEWER_ADDRESS),
                    indicator("indicator--" + UUID.randomUUID(), "2026-01-01T00:00:00.000Z", OTHER_ADDRESS)));
            assertThat(requests.sightings(node, basic, collection, NEWER_ADDRESS)).isEqualTo(1);
            assertThat(requests.sightings(node, basic, collection, OLDER_ADDRESS)).isZero();
            assertThat(requests.metric(node, basic, "vigie_detection_indicators")).isEqualTo(2);

            // The newest version deleted: the older one is what the indicator says now.
            requests.delete(node, basic, collection, indicatorId, "?match%5Bversion%5D=" + NEWER_VERSION);
            assertThat(requests.sightings(node, basic, collection, NEWER_ADDRESS)).isZero();
            assertThat(requests.sightings(node, basic, collection, OLDER_ADDRESS)).isEqualTo(1);
            assertThat(requests.metric(node, basic, "vigie_detection_indicators")).isEqualTo(2);

            // Every version deleted: the indicator matches nothing and leaves the matcher.
            requests.delete(node, basic, collection, indicatorId, "");
            assertThat(requests.sightings(node, basic, collection, OLDER_ADDRESS)).isZero();
            assertThat(requests.metric(node, basic, "vigie_detection_indicators")).isEqualTo(1);
            assertThat(requests.sightings(node, basic, collection, OTHER_ADDRESS)).isEqualTo(1);

            // Each deletion reached the matcher once, from the store's log: each request waited for it, and the matcher
            // had it before the answer (the sightings above).
            DetectionDeletions deletions = node.detectionDeletions().orElseThrow();
            assertThat(deletions.awaited()).isEqualTo(2);
            assertThat(deletions.applied()).isEqualTo(2);
        }
    }

    @Test
    void deletionByAnotherProcessOnTheStoreReachesTheLiveMatcher()
            throws InterruptedException
    {
        NodeConfig config = NodeConfig.load(directory.resolve("data"), Map.of("http.port", "0", "detection.enabled", "true", "detection.refresh-interval", "1h"));
        try (VigieNode node = VigieNode.start(config, InstantSource.system(), NodeStores::open, PasswordHasher.withIterations(1_000))) {
            String collection = node.initialization().createdCollection().orElseThrow().id();
            String basic = DetectionRequests.administrator(node);
            String indicatorId = "indicator--" + UUID.randomUUID();
            requests.addObjects(node, basic, collection, List.of(indicator(indicatorId, "2026-01-01T00:00:00.000Z", OLDER_ADDRESS)));
            assertThat(requests.metric(node, basic, "vigie_detection_indicators")).isEqualTo(1);

            // Another handle on the same SQLite file stands for another process (a command run on the data directory).
            try (ObjectStore other = NodeStores.open(config, InstantSource.system())) {
                assertThat(other.deleteObject(collection, indicatorId, VersionFilter.ALL, List.of())).isEqualTo(1);
            }
            // The store's own event log brings it, within its idle poll of about a second.
            await("the matcher dropped the indicator deleted by another process", () -> requests.metric(node, basic, "vigie_detection_indicators") == 0);
            assertThat(requests.sightings(node, basic, collection, OLDER_ADDRESS)).isZero();
            // Once, from the log: nothing in this process announced it.
            DetectionDeletions deletions = node.detectionDeletions().orElseThrow();
            assertThat(deletions.applied()).isEqualTo(1);
            assertThat(deletions.awaited()).isZero();
        }
    }
}
