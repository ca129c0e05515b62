package org.vigie.detection;

import org.vigie.pattern.match.MatcherOptions;
import org.vigie.stix.StixObject;
import org.vigie.store.ObjectStore;
import org.vigie.taxii.server.RouteContributor;
import tools.jackson.databind.JsonNode;

import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

/**
 * Live detection in the node: one {@link org.vigie.pattern.match.BulkMatcher} per indicator collection,
 * kept current from the store, matching the observations POSTed to the ingest endpoint and storing the
 * resulting sightings where TAXII clients read them.
 *
 * <p>Indicators are read by date added: {@link #create} loads every indicator version of each collection
 * (the newest version of each id wins, a revoked newest version removes it), then each {@link #refresh}
 * reads only the versions added since the last one. The node calls {@link #refresh} on a timer
 * ({@link #startPeriodicRefresh}) and may call {@link #onObjectsAdded} right after a store add for zero
 * latency, and calls {@link #onObjectDeleted} after each deletion (which no refresh would see); ingest
 * refreshes its collection before matching, so a version stored before an ingest request always applies to it.
 */
public interface DetectionService
        extends AutoCloseable
{
    /** Creates the sightings collection when missing and loads every indicator collection's indicators. */
    static DetectionService create(DetectionConfig config, ObjectStore store, InstantSource clock)
    {
        return create(config, store, clock, MatcherOptions.DEFAULT);
    }

    static DetectionService create(DetectionConfig config, ObjectStore store, InstantSource clock, MatcherOptions options)
    {
        return LiveDetectionService.create(config, store, clock, options, Optional.empty());
    }

    /**
     * The same, with where ingest publishes observations: required with {@code detection.ingest=kafka} (failing
     * with INVALID_CONFIGURATION, naming the key, when absent), ignored with {@code local}.
     */
    static DetectionService create(DetectionConfig config, ObjectStore store, InstantSource clock, Optional<ObservationPublisher> publisher)
    {
        return LiveDetectionService.create(config, store, clock, MatcherOptions.DEFAULT, publisher);
    }

    /**
     * Creates the sightings collection of {@code config} when missing: also where the node stores the sightings
     * of Kafka matching workers, with or without live detection.
     */
    static void createSightingsCollection(DetectionConfig config, ObjectStore store)
    {
        LiveDetectionService.createSightingsCollection(config, store);
    }

    /** Pulls the indicator versions added to every indicator collection since the last refresh, then drops expired indicators. */
    RefreshResult refresh();

    /** The same, for one indicator collection; fails with COLLECTION_NOT_FOUND when detection does not cover it. */
    RefreshResult refresh(String collectionId);

    /**
     * Applies objects just stored in a collection (indicators only; others are ignored) without waiting for
     * the next refresh. Harmless to call twice: a version the matcher already has is ignored.
     */
    RefreshResult onObjectsAdded(String collectionId, List<StixObject> objects);

    /**
     * Applies a deletion of some or all versions of an object of a collection (indicators only; others are
     * ignored): the indicator is read again from the store, and leaves the matcher when no version of it is left,
     * or falls back to its latest remaining version. The periodic refresh reads only versions added, so deletions
     * reach the matcher only through this call. Harmless to call twice.
     */
    RefreshResult onObjectDeleted(String collectionId, String objectId);

    /**
     * Matches the observed-data among {@code objects} (their cyber-observables resolved against the same list)
     * with the indicators of {@code collectionId}, and stores the sightings together with the observed-data and
     * cyber-observables they refer to in the sightings collection, in one transaction. Invalid input fails with
     * a user error before anything is matched or stored.
     */
    IngestResult ingest(String collectionId, List<JsonNode> objects);

    /**
     * With {@code detection.ingest=kafka}: checks the objects as {@link #ingest} does, then publishes every
     * observed-data among them (with the objects it references) to the matching workers, returning how many once
     * the broker has acknowledged them. Only the workers' indicator collection is accepted (others fail with
     * COLLECTION_NOT_FOUND); nothing is matched or stored here: the workers' sightings come back through Kafka.
     */
    int publish(String collectionId, List<JsonNode> objects);

    DetectionStatus status();

    /** {@code POST /ingest/{collectionId}/observations} and {@code GET /ingest/status}, to mount on the TAXII server. */
    RouteContributor routes();

    /** Calls {@link #refresh()} every {@link DetectionConfig#refreshInterval()} on a daemon thread until {@link #close}. */
    void startPeriodicRefresh();

    DetectionConfig config();

    /** Stops the periodic refresh; the store is the caller's to close. */
    @Override
    void close();
}
