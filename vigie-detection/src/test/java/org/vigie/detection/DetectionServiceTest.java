package org.vigie.detection;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.stix.StixObject;
import org.vigie.store.CollectionInfo;
import org.vigie.store.ObjectQuery;
import org.vigie.store.ObjectStore;
import org.vigie.store.ObjectStores;
import org.vigie.store.StoredObject;
import org.vigie.store.TestClock;
import org.vigie.store.VersionFilter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The service over a real SQLite store, without HTTP: loading, incremental refresh, the push hook and stateful matches. */
class DetectionServiceTest
{
    private static final String FEED = "feed";
    private static final String SIGHTINGS = "sightings";
    private static final Instant OBSERVED = Instant.parse("2026-02-28T12:00:00Z");

    @TempDir
    Path directory;

    private final TestClock clock = new TestClock(Instant.parse("2026-03-01T00:00:00Z"));
    private ObjectStore store;
    private DetectionService detection;

    @BeforeEach
    void openStore()
    {
        store = ObjectStores.sqlite(directory.resolve("store.db"), clock);
        store.createCollection(CollectionInfo.of(FEED, "Feed"));
    }

    @AfterEach
    void close()
    {
        if (detection != null) {
            detection.close();
        }
        store.close();
    }

    @Test
    void initialLoadKeepsTheNewestVersionSkipsRevokedAndReportsInvalidIndicators()
    {
        String changed = Stix.newId("indicator");
        ObjectNode revoked = Stix.indicator(Stix.newId("indicator"), "[ipv4-addr:value = '10.0.0.3']", Stix.CREATED);
        // Versions stored newest first: the date added order must not decide.
        store.addObjects(FEED, Stix.stixObjects(
                Stix.indicator(changed, "[ipv4-addr:value = '10.0.0.2']", Stix.CREATED.plusSeconds(20)),
                Stix.indicator(changed, "[ipv4-addr:value = '10.0.0.1']", Stix.CREATED),
                revoked,
                Stix.revoked(revoked, Stix.CREATED.plusSeconds(5)),
                Stix.indicator(Stix.newId("indicator"), "[ipv4-addr:value = ", Stix.CREATED)));

        detection = create(FEED);
        DetectionStatus status = detection.status();
        assertThat(status.indicators()).isEqualTo(1);
        assertThat(status.collections()).singleElement().satisfies(collection -> {
            assertThat(collection.collectionId()).isEqualTo(FEED);
            assertThat(collection.invalidIndicators()).isEqualTo(1);
            assertThat(collection.readUpTo()).isPresent();
        });
        assertThat(ingest(Stix.ipv4("10.0.0.2")).sightings()).hasSize(1);
        assertThat(ingest(Stix.ipv4("10.0.0.1")).sightings()).isEmpty();
        assertThat(ingest(Stix.ipv4("10.0.0.3")).sightings()).isEmpty();
    }

    @Test
    void refreshReadsOnlyVersionsAddedSinceTheLastOne()
    {
        // More than two pages of the store, so that the initial load follows the cursor.
        List<StixObject> indicators = new ArrayList<>();
        for (int index = 0; index < 2_500; index++) {
            indicators.add(Stix.stixObject(Stix.indicator(Stix.newId("indicator"), "[ipv4-addr:value = '10.1." + index / 250 + "." + index % 250 + "']", Stix.CREATED)));
        }
        store.addObjects(FEED, indicators);
        detection = create(FEED);
        assertThat(detection.status().indicators()).isEqualTo(2_500);
        assertThat(detection.refresh().read()).isZero();

        String id = Stix.newId("indicator");
        store.addObjects(FEED, Stix.stixObjects(Stix.indicator(id, "[domain-name:value = 'a.example']", Stix.CREATED)));
        store.addObjects(FEED, Stix.stixObjects(Stix.indicator(id, "[domain-name:value = 'b.example']", Stix.CREATED.plusSeconds(1))));
        RefreshResult refresh = detection.refresh();
        assertThat(refresh.read()).isEqualTo(2);
        assertThat(refresh.added() + refresh.replaced()).isEqualTo(2);
        assertThat(detection.status().indicators()).isEqualTo(2_501);
        assertThat(detection.refresh().read()).isZero();
        assertThat(ingest(Stix.domain("b.example")).matches()).isEqualTo(1);
    }

    @Test
    void pushedObjectsApplyBeforeAnyRefreshAndAreIgnoredWhenReadAgain()
    {
        detection = create(FEED);
        ObjectNode indicator = Stix.indicator(Stix.newId("indicator"), "[domain-name:value = 'push.example']", Stix.CREATED);
        store.addObjects(FEED, Stix.stixObjects(indicator));
        RefreshResult pushed = detection.onObjectsAdded(FEED, Stix.stixObjects(indicator, Stix.domain("push.example")));
        assertThat(pushed.added()).isEqualTo(1);
        assertThat(pushed.read()).isEqualTo(1);
        assertThat(detection.status().indicators()).isEqualTo(1);

        RefreshResult refresh = detection.refresh();
        assertThat(refresh.read()).isEqualTo(1);
        assertThat(refresh.ignored()).isEqualTo(1);
        assertThat(detection.onObjectsAdded(SIGHTINGS, Stix.stixObjects(indicator))).isEqualTo(RefreshResult.NOTHING);
    }

    @Test
    void indicatorWithEveryVersionDeletedStopsMatching()
    {
        String deleted = Stix.newId("indicator");
        store.addObjects(FEED, Stix.stixObjects(
                Stix.indicator(deleted, "[ipv4-addr:value = '10.5.0.1']", Stix.CREATED),
                Stix.indicator(deleted, "[ipv4-addr:value = '10.5.0.1']", Stix.CREATED.plusSeconds(10)),
                Stix.indicator(Stix.newId("indicator"), "[ipv4-addr:value = '10.5.0.2']", Stix.CREATED)));
        detection = create(FEED);
        assertThat(ingest(Stix.ipv4("10.5.0.1")).sightings()).hasSize(1);

        assertThat(store.deleteObject(FEED, deleted, VersionFilter.ALL, List.of())).isEqualTo(2);
        RefreshResult applied = detection.onObjectDeleted(FEED, deleted);
        assertThat(applied.removed()).isEqualTo(1);
        assertThat(applied.read()).isZero();
        assertThat(detection.status().indicators()).isEqualTo(1);
        assertThat(ingest(Stix.ipv4("10.5.0.1")).sightings()).isEmpty();
        assertThat(ingest(Stix.ipv4("10.5.0.2")).sightings()).hasSize(1);
        // Told twice (the node's own event and the event log's), the second time finds nothing to do.
        assertThat(detection.onObjectDeleted(FEED, deleted).removed()).isZero();
        assertThat(detection.refresh().read()).isZero();
        assertThat(detection.status().indicators()).isEqualTo(1);
    }

    @Test
    void deletedLatestVersionFallsBackToTheLatestRemainingOne()
    {
        String id = Stix.newId("indicator");
        Instant older = Stix.CREATED;
        Instant newer = Stix.CREATED.plusSeconds(10);
        store.addObjects(FEED, Stix.stixObjects(
                Stix.indicator(id, "[ipv4-addr:value = '10.6.0.1']", older),
                Stix.indicator(id, "[ipv4-addr:value = '10.6.0.2']", newer)));
        detection = create(FEED);
        assertThat(ingest(Stix.ipv4("10.6.0.1")).sightings()).isEmpty();
        assertThat(ingest(Stix.ipv4("10.6.0.2")).sightings()).hasSize(1);

        assertThat(store.deleteObject(FEED, id, new VersionFilter(false, false, false, List.of(newer)), List.of())).isEqualTo(1);
        RefreshResult applied = detection.onObjectDeleted(FEED, id);
        assertThat(applied.removed()).isEqualTo(1);
        assertThat(applied.added()).isEqualTo(1);
        assertThat(detection.status().indicators()).isEqualTo(1);
        assertThat(ingest(Stix.ipv4("10.6.0.1")).sightings()).hasSize(1);
        assertThat(ingest(Stix.ipv4("10.6.0.2")).sightings()).isEmpty();

        // A deleted revocation brings back the version it revoked.
        String revokedId = Stix.newId("indicator");
        ObjectNode original = Stix.indicator(revokedId, "[ipv4-addr:value = '10.6.0.3']", older);
        store.addObjects(FEED, Stix.stixObjects(original, Stix.revoked(original, newer)));
        assertThat(ingest(Stix.ipv4("10.6.0.3")).sightings()).isEmpty();
        assertThat(store.deleteObject(FEED, revokedId, new VersionFilter(false, false, false, List.of(newer)), List.of())).isEqualTo(1);
        assertThat(detection.onObjectDeleted(FEED, revokedId).added()).isEqualTo(1);
        assertThat(ingest(Stix.ipv4("10.6.0.3")).sightings()).hasSize(1);
        assertThat(detection.status().indicators()).isEqualTo(2);
    }

    @Test
    void deletionsOutsideIndicatorsOfCoveredCollectionsChangeNothing()
    {
        String id = Stix.newId("indicator");
        store.addObjects(FEED, Stix.stixObjects(Stix.indicator(id, "[ipv4-addr:value = '10.7.0.1']", Stix.CREATED)));
        detection = create(FEED);
        assertThat(detection.onObjectDeleted(SIGHTINGS, id)).isEqualTo(RefreshResult.NOTHING);
        assertThat(detection.onObjectDeleted(FEED, Stix.newId("domain-name"))).isEqualTo(RefreshResult.NOTHING);
        // Still in the store: re-reading it keeps it.
        assertThat(detection.onObjectDeleted(FEED, id).added()).isEqualTo(1);
        assertThat(detection.status().indicators()).isEqualTo(1);
        assertThat(ingest(Stix.ipv4("10.7.0.1")).sightings()).hasSize(1);
    }

    @Test
    void allCollectionsModeFollowsNewCollectionsButNotTheSightingsCollection()
    {
        DetectionConfig config = DetectionConfig.fromProperties(Map.of(DetectionConfig.SIGHTINGS_COLLECTION, SIGHTINGS));
        detection = DetectionService.create(config, store, clock);
        assertThat(store.findCollection(SIGHTINGS)).isPresent();
        assertThat(detection.status().collections()).extracting(DetectionStatus.CollectionStatus::collectionId).containsExactly(FEED);

        store.createCollection(CollectionInfo.of("later", "Later"));
        store.addObjects("later", Stix.stixObjects(Stix.indicator(Stix.newId("indicator"), "[ipv4-addr:value = '10.9.9.9']", Stix.CREATED)));
        detection.refresh();
        assertThat(detection.status().collections()).extracting(DetectionStatus.CollectionStatus::collectionId).containsExactly(FEED, "later");
        assertThat(detection.ingest("later", Stix.observation(OBSERVED, Stix.ipv4("10.9.9.9"))).matches()).isEqualTo(1);
        assertThatThrownBy(() -> detection.ingest(SIGHTINGS, Stix.observation(OBSERVED, Stix.ipv4("10.9.9.9"))))
                .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.COLLECTION_NOT_FOUND));
    }

    @Test
    void missingConfiguredCollectionFailsAtStartNamingTheKey()
    {
        DetectionConfig config = DetectionConfig.fromProperties(Map.of(DetectionConfig.INDICATOR_COLLECTIONS, "absent", DetectionConfig.SIGHTINGS_COLLECTION, SIGHTINGS));
        assertThatThrownBy(() -> DetectionService.create(config, store, clock))
                .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessageContaining("detection.indicator-collections", "absent");
    }

    @Test
    void sightingCompletedByALaterRequestStoresTheEarlierObservation()
    {
        String indicatorId = Stix.newId("indicator");
        store.addObjects(FEED, Stix.stixObjects(Stix.indicator(indicatorId, "[ipv4-addr:value = '10.2.0.1'] FOLLOWEDBY [domain-name:value = 'exfil.example'] WITHIN 600 SECONDS", Stix.CREATED)));
        detection = create(FEED);
        ObjectNode address = Stix.ipv4("10.2.0.1");
        ObjectNode first = Stix.observedData(OBSERVED, address);
        assertThat(detection.ingest(FEED, List.of(first, address)).matches()).isZero();
        assertThat(store.countObjects(SIGHTINGS)).isZero();

        ObjectNode domain = Stix.domain("exfil.example");
        ObjectNode second = Stix.observedData(OBSERVED.plusSeconds(60), domain);
        IngestResult result = detection.ingest(FEED, List.of(second, domain));
        assertThat(result.sightings()).hasSize(1);

        List<JsonNode> stored = new ArrayList<>();
        for (StoredObject object : store.findObjects(SIGHTINGS, ObjectQuery.all(100)).objects()) {
            stored.add(object.object().tree());
        }
        JsonNode sighting = Stix.find(stored, result.sightings().get(0)).orElseThrow();
        assertThat(sighting.get("sighting_of_ref").stringValue()).isEqualTo(indicatorId);
        List<String> references = new ArrayList<>();
        sighting.get("observed_data_refs").forEach(reference -> references.add(reference.stringValue()));
        assertThat(references).containsExactlyInAnyOrder(first.get("id").stringValue(), second.get("id").stringValue());
        for (ObjectNode expected : List.of(first, address, second, domain)) {
            assertThat(Stix.find(stored, expected.get("id").stringValue())).as(expected.get("id").stringValue()).isPresent();
        }
        assertThat(stored).hasSize(5);
    }

    @Test
    void periodicRefreshPicksUpNewIndicators()
    {
        DetectionConfig config = DetectionConfig.fromProperties(Map.of(
                DetectionConfig.INDICATOR_COLLECTIONS, FEED,
                DetectionConfig.SIGHTINGS_COLLECTION, SIGHTINGS,
                DetectionConfig.REFRESH_INTERVAL, "20ms"));
        detection = DetectionService.create(config, store, clock);
        detection.startPeriodicRefresh();
        store.addObjects(FEED, Stix.stixObjects(Stix.indicator(Stix.newId("indicator"), "[ipv4-addr:value = '10.3.0.1']", Stix.CREATED)));

        // Poll with a deadline: the refresh thread runs on its own schedule.
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (detection.status().indicators() == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(detection.status().indicators()).isEqualTo(1);
        detection.close();
        assertThat(detection.status().lastRefresh()).isPresent();
    }

    @Test
    void expiredIndicatorsAreDroppedByRefreshOnTheInjectedClock()
    {
        store.addObjects(FEED, Stix.stixObjects(
                Stix.validUntil(Stix.indicator(Stix.newId("indicator"), "[ipv4-addr:value = '10.4.0.1']", Stix.CREATED), clock.instant().plus(Duration.ofMinutes(10))),
                Stix.indicator(Stix.newId("indicator"), "[ipv4-addr:value = '10.4.0.2']", Stix.CREATED)));
        detection = create(FEED);
        assertThat(detection.status().indicators()).isEqualTo(2);
        assertThat(detection.refresh().expired()).isZero();
        clock.advance(Duration.ofMinutes(10));
        assertThat(detection.refresh().expired()).isEqualTo(1);
        assertThat(detection.status().indicators()).isEqualTo(1);
    }

    private DetectionService create(String collectionId)
    {
        DetectionConfig config = DetectionConfig.fromProperties(Map.of(
                DetectionConfig.INDICATOR_COLLECTIONS, collectionId,
                DetectionConfig.SIGHTINGS_COLLECTION, SIGHTINGS));
        return DetectionService.create(config, store, clock);
    }

    private IngestResult ingest(ObjectNode observable)
    {
        return detection.ingest(FEED, Stix.observation(OBSERVED, observable));
    }
}
