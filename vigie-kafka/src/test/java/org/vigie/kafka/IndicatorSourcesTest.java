package org.vigie.kafka;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.stix.StixObject;
import org.vigie.store.CollectionInfo;
import org.vigie.store.ObjectStore;
import org.vigie.store.ObjectStores;
import org.vigie.store.TestClock;
import org.vigie.store.VersionFilter;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The store source of matching workers on a real SQLite store, without a broker: it follows the store's own event
 * log, so new versions, deleted versions (falling back to the latest remaining one) and deleted indicators all
 * reach the worker, and a burst of other changes does not hold an indicator change back.
 */
class IndicatorSourcesTest
{
    private static final String INDICATORS = "indicators";
    private static final String OTHER = "other";
    private static final Instant FIRST = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant SECOND = Instant.parse("2026-01-02T00:00:00Z");

    @TempDir
    Path directory;

    private final TestClock clock = new TestClock(MatchingData.NOW);

    @Test
    void storeSourceSeesNewVersionsAndDeletions()
    {
        try (ObjectStore store = storeWithCollections();
                IndicatorSource source = IndicatorSources.fromStore(store, INDICATORS)) {
            store.addObjects(INDICATORS, List.of(MatchingData.indicator(0), MatchingData.indicator(1)));
            assertThat(source.initial()).extracting(indicator -> indicator.get("id").stringValue())
                    .containsExactlyInAnyOrder(MatchingData.indicatorId(0), MatchingData.indicatorId(1));
            assertThat(source.updates()).isEmpty();

            // A newer version is an upsert of it.
            store.addObjects(INDICATORS, List.of(MatchingData.indicator(0, SECOND)));
            assertThat(source.updates()).singleElement().satisfies(update -> assertUpsert(update, 0, SECOND));

            // The newer version deleted: the worker forgets it, then takes the older one back.
            assertThat(store.deleteObject(INDICATORS, MatchingData.indicatorId(0), new VersionFilter(false, false, false, List.of(SECOND)), List.of())).isEqualTo(1);
            List<IndicatorUpdate> fallBack = source.updates();
            assertThat(fallBack).hasSize(2);
            assertThat(fallBack.get(0)).isEqualTo(IndicatorUpdate.remove(MatchingData.indicatorId(0)));
            assertUpsert(fallBack.get(1), 0, FIRST);

            // Every version deleted: a removal only. Objects of other collections are not the worker's concern.
            assertThat(store.deleteObject(INDICATORS, MatchingData.indicatorId(1), VersionFilter.ALL, List.of())).isEqualTo(1);
            store.addObjects(OTHER, List.of(MatchingData.indicator(2)));
            assertThat(source.updates()).containsExactly(IndicatorUpdate.remove(MatchingData.indicatorId(1)));
        }
    }

    @Test
    void indicatorChangeAfterABurstOfOtherChangesArrivesInOneCall()
    {
        try (ObjectStore store = storeWithCollections();
                IndicatorSource source = IndicatorSources.fromStore(store, INDICATORS)) {
            assertThat(source.initial()).isEmpty();
            // Several of the source's batches of events from another collection come first.
            List<StixObject> burst = new ArrayList<>();
            for (int index = 0; index < 3_500; index++) {
                burst.add(MatchingData.indicator(1_000 + index));
            }
            store.addObjects(OTHER, burst);
            store.addObjects(INDICATORS, List.of(MatchingData.indicator(0)));
            assertThat(source.updates()).singleElement().satisfies(update -> assertUpsert(update, 0, FIRST));
            assertThat(source.updates()).isEmpty();
        }
    }

    @Test
    void missingCollectionFailsNamingIt()
    {
        try (ObjectStore store = ObjectStores.sqlite(directory.resolve("store.db"), clock);
                IndicatorSource source = IndicatorSources.fromStore(store, "absent")) {
            assertThatThrownBy(source::initial)
                    .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.COLLECTION_NOT_FOUND))
                    .hasMessageContaining("absent");
        }
    }

    private ObjectStore storeWithCollections()
    {
        ObjectStore store = ObjectStores.sqlite(directory.resolve("store.db"), clock);
        store.createCollection(CollectionInfo.of(INDICATORS, "indicators"));
        store.createCollection(CollectionInfo.of(OTHER, "other"));
        return store;
    }

    private static void assertUpsert(IndicatorUpdate update, int index, Instant version)
    {
        assertThat(update.kind()).isEqualTo(IndicatorUpdate.Kind.UPSERT);
        JsonNode indicator = update.indicator().orElseThrow();
        assertThat(indicator.get("id").stringValue()).isEqualTo(MatchingData.indicatorId(index));
        assertThat(Instant.parse(indicator.get("modified").stringValue())).isEqualTo(version);
    }
}
