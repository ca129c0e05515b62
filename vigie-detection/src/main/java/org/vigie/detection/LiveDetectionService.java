package org.vigie.detection;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.config.ConfigurationValues;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.pattern.Observation;
import org.vigie.pattern.cli.MatchTool;
import org.vigie.pattern.match.Match;
import org.vigie.pattern.match.MatcherOptions;
import org.vigie.stix.StixObject;
import org.vigie.stix.json.StixJson;
import org.vigie.stix.validation.StixValidator;
import org.vigie.stix.validation.Violation;
import org.vigie.store.CollectionInfo;
import org.vigie.store.ObjectStore;
import org.vigie.taxii.server.RouteContributor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

final class LiveDetectionService
        implements DetectionService
{
    private static final Logger LOG = LoggerFactory.getLogger(LiveDetectionService.class);
    private static final StixValidator VALIDATOR = StixValidator.create();
    /** Objects of past requests kept so that sightings completed later can store what they refer to. */
    static final int RECENT_OBJECTS = 50_000;
    /** Violations quoted in a rejection; the count of the rest is given. */
    private static final int VIOLATIONS_REPORTED = 5;
    private static final String INDICATOR_PREFIX = "indicator--";

    private final DetectionConfig config;
    private final ObjectStore store;
    private final InstantSource clock;
    private final MatcherOptions options;
    // Sorted, so that status lists collections in a stable order.
    private final ConcurrentSkipListMap<String, CollectionMatcher> matchers = new ConcurrentSkipListMap<>();
    private final RecentObjects recent = new RecentObjects(RECENT_OBJECTS);
    private final AtomicLong observations = new AtomicLong();
    private final AtomicLong matches = new AtomicLong();
    private final AtomicLong sightings = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final Optional<ObservationPublisher> publisher;
    private volatile Optional<Instant> lastRefresh = Optional.empty();
    private ScheduledExecutorService scheduler;

    private LiveDetectionService(DetectionConfig config, ObjectStore store, InstantSource clock, MatcherOptions options, Optional<ObservationPublisher> publisher)
    {
        this.publisher = requireNonNull(publisher, "publisher is null");
        this.config = requireNonNull(config, "config is null");
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.options = requireNonNull(options, "options is null");
    }

    private static void checkPublisher(DetectionConfig config, Optional<ObservationPublisher> publisher)
    {
        String value = config.ingest().value();
        if (publisher.isEmpty()) {
            throw ConfigurationValues.invalid(DetectionConfig.INGEST, value, "the node has no Kafka observations topic to publish to");
        }
        String collection = publisher.get().indicatorCollection();
        if (!config.isIndicatorCollection(collection)) {
            throw ConfigurationValues.invalid(DetectionConfig.INGEST, value, "the matching workers' collection '" + collection + "' is not one of "
                    + DetectionConfig.INDICATOR_COLLECTIONS + " (" + String.join(",", config.indicatorCollections()) + ")");
        }
    }

    static void createSightingsCollection(DetectionConfig config, ObjectStore store)
    {
        if (store.findCollection(config.sightingsCollection()).isEmpty()) {
            store.createCollection(new CollectionInfo(
                    config.sightingsCollection(),
                    "Detection sightings",
                    Optional.of("Sightings of this node's indicators, with the observations that produced them"),
                    Optional.empty(),
                    List.of(CollectionInfo.STIX_21_MEDIA_TYPE)));
        }
    }

    static LiveDetectionService create(DetectionConfig config, ObjectStore store, InstantSource clock, MatcherOptions options, Optional<ObservationPublisher> publisher)
    {
        requireNonNull(config, "config is null");
        requireNonNull(store, "store is null");
        requireNonNull(publisher, "publisher is null");
        switch (config.ingest()) {
            case LOCAL -> { }
            case KAFKA -> checkPublisher(config, publisher);
        }
        createSightingsCollection(config, store);
        if (!config.allCollections()) {
            for (String collectionId : config.indicatorCollections()) {
                if (store.findCollection(collectionId).isEmpty()) {
                    throw new VigieException(ErrorCode.INVALID_CONFIGURATION, "configuration key '" + DetectionConfig.INDICATOR_COLLECTIONS + "' names collection '" + collectionId + "', which the store does not have");
                }
            }
        }
        LiveDetectionService service = new LiveDetectionService(config, store, clock, options, publisher);
        RefreshResult loaded = service.refresh();
        LOG.info("detection loaded {} indicators from {} collections ({} invalid)", service.status().indicators(), service.matchers.size(), loaded.invalid());
        return service;
    }

    @Override
    public DetectionConfig config()
    {
        return config;
    }

    @Override
    public RefreshResult refresh()
    {
        RefreshResult total = RefreshResult.NOTHING;
        for (String collectionId : indicatorCollections()) {
            total = total.plus(matcher(collectionId).refresh());
        }
        lastRefresh = Optional.of(clock.instant());
        return total;
    }

    @Override
    public RefreshResult refresh(String collectionId)
    {
        RefreshResult result = coveredMatcher(collectionId).refresh();
        lastRefresh = Optional.of(clock.instant());
        return result;
    }

    @Override
    public RefreshResult onObjectsAdded(String collectionId, List<StixObject> objects)
    {
        requireNonNull(collectionId, "collectionId is null");
        requireNonNull(objects, "objects is null");
        // The node reports every add; only indicator collections matter here.
        if (!config.isIndicatorCollection(collectionId)) {
            return RefreshResult.NOTHING;
        }
        return matcher(collectionId).apply(objects);
    }

    @Override
    public RefreshResult onObjectDeleted(String collectionId, String objectId)
    {
        requireNonNull(collectionId, "collectionId is null");
        requireNonNull(objectId, "objectId is null");
        if (!objectId.startsWith(INDICATOR_PREFIX) || !config.isIndicatorCollection(collectionId)) {
            return RefreshResult.NOTHING;
        }
        // A collection without a matcher yet holds nothing to drop; its first refresh reads what remains.
        CollectionMatcher collection = matchers.get(collectionId);
        return collection == null ? RefreshResult.NOTHING : collection.deleted(objectId);
    }

    @Override
    public IngestResult ingest(String collectionId, List<JsonNode> objects)
    {
        requireNonNull(collectionId, "collectionId is null");
        requireNonNull(objects, "objects is null");
        CollectionMatcher collection = coveredMatcher(collectionId);
        Map<String, JsonNode> byId = checkObjects(objects);
        List<Observation> batch = Observation.fromObjects(objects);
        if (batch.isEmpty()) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "ingest into " + collectionId + ": the request holds " + objects.size() + " objects but no observed-data to match");
        }
        // New indicator versions stored before this request apply to it.
        collection.refresh();

        Instant now = clock.instant();
        Map<String, ObjectNode> sightingsById = new LinkedHashMap<>();
        int matchCount = 0;
        for (Observation observation : batch) {
            for (Match match : collection.matcher().match(observation)) {
                matchCount++;
                ObjectNode sighting = MatchTool.sighting(match, now, config.createdByRef());
                sightingsById.putIfAbsent(sighting.get("id").stringValue(), sighting);
            }
        }

        int stored = 0;
        if (!sightingsById.isEmpty()) {
            Map<String, JsonNode> toStore = new LinkedHashMap<>();
            for (ObjectNode sighting : sightingsById.values()) {
                for (JsonNode reference : sighting.path("observed_data_refs")) {
                    addWithReferences(reference.stringValue(), byId, toStore, 0);
                }
            }
            List<StixObject> stixObjects = new ArrayList<>(toStore.size() + sightingsById.size());
            for (JsonNode object : toStore.values()) {
                stixObjects.add(stixObject(object));
            }
            for (ObjectNode sighting : sightingsById.values()) {
                stixObjects.add(stixObject(sighting));
            }
            store.addObjects(config.sightingsCollection(), stixObjects);
            stored = stixObjects.size();
        }
        recent.remember(objects);
        observations.addAndGet(batch.size());
        matches.addAndGet(matchCount);
        sightings.addAndGet(sightingsById.size());
        return new IngestResult(batch.size(), matchCount, List.copyOf(sightingsById.keySet()), stored);
    }

    @Override
    public int publish(String collectionId, List<JsonNode> objects)
    {
        requireNonNull(collectionId, "collectionId is null");
        requireNonNull(objects, "objects is null");
        ObservationPublisher workers = switch (config.ingest()) {
            case LOCAL -> throw new IllegalStateException(DetectionConfig.INGEST + " is " + config.ingest().value() + ": observations are matched here, not published");
            case KAFKA -> publisher.orElseThrow();
        };
        if (!collectionId.equals(workers.indicatorCollection())) {
            throw new VigieException(ErrorCode.COLLECTION_NOT_FOUND, "collection '" + collectionId + "': this node publishes observations to the Kafka matching workers ("
                    + DetectionConfig.INGEST + " = " + config.ingest().value() + "), which match the indicators of collection '" + workers.indicatorCollection() + "' only");
        }
        checkObjects(objects);
        // Resolved as the workers will resolve them, so that a bad observation is refused here rather than skipped there.
        int observationCount = Observation.fromObjects(objects).size();
        if (observationCount == 0) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "ingest into " + collectionId + ": the request holds " + objects.size() + " objects but no observed-data to publish");
        }
        int sent = workers.publish(objects);
        published.addAndGet(sent);
        return sent;
    }

    @Override
    public DetectionStatus status()
    {
        List<DetectionStatus.CollectionStatus> collections = new ArrayList<>();
        for (CollectionMatcher matcher : matchers.values()) {
            collections.add(new DetectionStatus.CollectionStatus(matcher.collectionId(), matcher.matcher().size(), matcher.readUpTo(), matcher.invalidIndicators()));
        }
        return new DetectionStatus(collections, observations.get(), matches.get(), sightings.get(), published.get(), lastRefresh);
    }

    @Override
    public RouteContributor routes()
    {
        return new DetectionRoutes(this);
    }

    @Override
    public synchronized void startPeriodicRefresh()
    {
        if (scheduler != null) {
            throw new IllegalStateException("periodic refresh is already running");
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "vigie-detection-refresh");
            thread.setDaemon(true);
            return thread;
        });
        long interval = config.refreshInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::refreshQuietly, interval, Math.max(interval, 1), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close()
    {
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                    LOG.warn("the detection refresh thread did not stop within 10 seconds");
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            scheduler = null;
        }
    }

    private void refreshQuietly()
    {
        try {
            refresh();
        }
        catch (RuntimeException e) {
            // The timer must survive a store hiccup; the next round retries from the same cursor.
            LOG.error("detection refresh failed; retrying in {}", config.refreshInterval(), e);
        }
    }

    private List<String> indicatorCollections()
    {
        if (!config.allCollections()) {
            return config.indicatorCollections();
        }
        return store.listCollections().stream()
                .map(CollectionInfo::id)
                .filter(config::isIndicatorCollection)
                .toList();
    }

    private CollectionMatcher matcher(String collectionId)
    {
        return matchers.computeIfAbsent(collectionId, id -> new CollectionMatcher(id, store, clock, options));
    }

    private CollectionMatcher coveredMatcher(String collectionId)
    {
        requireNonNull(collectionId, "collectionId is null");
        CollectionMatcher existing = matchers.get(collectionId);
        if (existing != null) {
            return existing;
        }
        if (!config.isIndicatorCollection(collectionId) || store.findCollection(collectionId).isEmpty()) {
            throw new VigieException(ErrorCode.COLLECTION_NOT_FOUND, "collection '" + collectionId + "' is not an indicator collection of this node's detection (" + DetectionConfig.INDICATOR_COLLECTIONS + " = " + String.join(",", config.indicatorCollections()) + ")");
        }
        return matcher(collectionId);
    }

    /** Every object must be a valid STIX 2.1 object with an id; returns them by id. Fails before anything is matched or stored. */
    private static Map<String, JsonNode> checkObjects(List<JsonNode> objects)
    {
        Map<String, JsonNode> byId = new HashMap<>();
        for (int index = 0; index < objects.size(); index++) {
            JsonNode object = objects.get(index);
            String where = "object " + (index + 1) + " of " + objects.size();
            if (!object.isObject()) {
                throw new VigieException(ErrorCode.INVALID_STIX, where + " is not a JSON object but " + object.getNodeType());
            }
            if (!object.path("id").isString()) {
                throw new VigieException(ErrorCode.INVALID_STIX, where + " has no string property 'id'");
            }
            String id = object.get("id").stringValue();
            List<Violation> violations = VALIDATOR.validate(object);
            if (!violations.isEmpty()) {
                String shown = violations.stream().limit(VIOLATIONS_REPORTED).map(Violation::toString).collect(Collectors.joining("; "));
                String more = violations.size() > VIOLATIONS_REPORTED ? " (and " + (violations.size() - VIOLATIONS_REPORTED) + " more)" : "";
                throw new VigieException(ErrorCode.INVALID_STIX, where + " (" + id + ") is not valid STIX 2.1: " + shown + more);
            }
            JsonNode previous = byId.put(id, object);
            if (previous != null && !previous.equals(object)) {
                throw new VigieException(ErrorCode.INVALID_STIX, where + " (" + id + ") has the id of an earlier, different object of the request");
            }
        }
        return byId;
    }

    /** Adds an observation (or cyber-observable) and, transitively, the objects it references that this or a recent request holds. */
    private void addWithReferences(String id, Map<String, JsonNode> byId, Map<String, JsonNode> toStore, int depth)
    {
        if (toStore.containsKey(id) || depth > Observation.MAXIMUM_REFERENCE_DEPTH) {
            return;
        }
        JsonNode object = byId.get(id);
        if (object == null) {
            object = recent.find(id).orElse(null);
        }
        if (object == null) {
            LOG.debug("sighting refers to {}, which is no longer remembered; it is stored without it", id);
            return;
        }
        toStore.put(id, object);
        Set<String> references = new LinkedHashSet<>();
        collectReferences(object, references);
        for (String reference : references) {
            addWithReferences(reference, byId, toStore, depth + 1);
        }
    }

    private static void collectReferences(JsonNode node, Set<String> references)
    {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> property : node.properties()) {
                String name = property.getKey();
                JsonNode value = property.getValue();
                if (name.endsWith("_ref") && value.isString()) {
                    references.add(value.stringValue());
                }
                else if (name.endsWith("_refs") && value.isArray()) {
                    for (JsonNode element : value) {
                        if (element.isString()) {
                            references.add(element.stringValue());
                        }
                    }
                }
                else {
                    collectReferences(value, references);
                }
            }
        }
        else if (node.isArray()) {
            for (JsonNode element : node) {
                collectReferences(element, references);
            }
        }
    }

    private static StixObject stixObject(JsonNode object)
    {
        return StixObject.fromTree(object, StixJson.compact(object));
    }
}
