package org.vigie.detection;

import org.vigie.config.ConfigurationValues;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Configuration of live detection. Keys (all optional):
 * <ul>
 * <li>{@code detection.enabled} ({@code true} or {@code false}, default false): whether the node runs detection</li>
 * <li>{@code detection.indicator-collections} (default {@code *}): comma-separated ids of the collections whose
 * indicators are matched, or {@code *} for every collection except the sightings collection</li>
 * <li>{@code detection.sightings-collection} (default {@code detection-sightings}): where sightings and the
 * observations they refer to are stored (created if missing)</li>
 * <li>{@code detection.refresh-interval} (default {@code 5s}): how often the node pulls new indicator versions
 * from the store, as {@code <number>ms}, {@code s}, {@code m}, {@code h} or an ISO-8601 duration ({@code PT5S})</li>
 * <li>{@code detection.created-by-ref} (default none): an {@code identity--} id written as the sightings' creator</li>
 * <li>{@code detection.ingest} ({@code local} or {@code kafka}, default {@code local}): where observations POSTed to the
 * ingest endpoint are matched: in this node, or by the Kafka matching workers, to whose observations topic the node
 * then publishes them (their sightings come back through the sightings topic)</li>
 * </ul>
 */
public record DetectionConfig(
        boolean enabled,
        List<String> indicatorCollections,
        String sightingsCollection,
        Duration refreshInterval,
        Optional<String> createdByRef,
        Ingest ingest)
{
    public static final String ENABLED = "detection.enabled";
    public static final String INDICATOR_COLLECTIONS = "detection.indicator-collections";
    public static final String SIGHTINGS_COLLECTION = "detection.sightings-collection";
    public static final String REFRESH_INTERVAL = "detection.refresh-interval";
    public static final String CREATED_BY_REF = "detection.created-by-ref";
    public static final String INGEST = "detection.ingest";

    public static final String ALL_COLLECTIONS = "*";
    public static final String DEFAULT_SIGHTINGS_COLLECTION = "detection-sightings";
    public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(5);

    private static final Set<String> KEYS = Set.of(ENABLED, INDICATOR_COLLECTIONS, SIGHTINGS_COLLECTION, REFRESH_INTERVAL, CREATED_BY_REF, INGEST);
    private static final Pattern COLLECTION = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final Duration LONGEST_DURATION = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);
    private static final Pattern IDENTITY = Pattern.compile("identity--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    public DetectionConfig
    {
        indicatorCollections = List.copyOf(requireNonNull(indicatorCollections, "indicatorCollections is null"));
        requireNonNull(sightingsCollection, "sightingsCollection is null");
        requireNonNull(refreshInterval, "refreshInterval is null");
        requireNonNull(createdByRef, "createdByRef is null");
        requireNonNull(ingest, "ingest is null");
        if (indicatorCollections.isEmpty()) {
            throw ConfigurationValues.invalid(INDICATOR_COLLECTIONS, "", "must name at least one collection, or be " + ALL_COLLECTIONS);
        }
        if (indicatorCollections.contains(ALL_COLLECTIONS) && indicatorCollections.size() > 1) {
            throw ConfigurationValues.invalid(INDICATOR_COLLECTIONS, String.join(",", indicatorCollections), ALL_COLLECTIONS + " stands alone: it already means every collection");
        }
        for (String collection : indicatorCollections) {
            if (!collection.equals(ALL_COLLECTIONS) && !COLLECTION.matcher(collection).matches()) {
                throw ConfigurationValues.invalid(INDICATOR_COLLECTIONS, collection, "a collection id is 1 to 128 letters, digits, '.', '_' or '-'");
            }
        }
        if (indicatorCollections.size() != new TreeSet<>(indicatorCollections).size()) {
            throw ConfigurationValues.invalid(INDICATOR_COLLECTIONS, String.join(",", indicatorCollections), "names a collection twice");
        }
        if (!COLLECTION.matcher(sightingsCollection).matches()) {
            throw ConfigurationValues.invalid(SIGHTINGS_COLLECTION, sightingsCollection, "a collection id is 1 to 128 letters, digits, '.', '_' or '-'");
        }
        if (indicatorCollections.contains(sightingsCollection)) {
            // Sightings would be matched as if they were indicators' sources, and ingest would write where it reads.
            throw ConfigurationValues.invalid(SIGHTINGS_COLLECTION, sightingsCollection, "must not also be one of " + INDICATOR_COLLECTIONS);
        }
        if (refreshInterval.isNegative() || refreshInterval.isZero()) {
            throw ConfigurationValues.invalid(REFRESH_INTERVAL, refreshInterval.toString(), "must be positive");
        }
        createdByRef.ifPresent(reference -> {
            if (!IDENTITY.matcher(reference).matches()) {
                throw ConfigurationValues.invalid(CREATED_BY_REF, reference, "must be an identity id (identity--<uuid>)");
            }
        });
    }

    /** Where the ingest endpoint's observations are matched. */
    public enum Ingest
    {
        /** In this node, against its live matchers; sightings are stored before the answer. */
        LOCAL,
        /** By the Kafka matching workers: the node publishes the observations to their topic and answers once acknowledged. */
        KAFKA;

        /** The configuration value naming it. */
        public String value()
        {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The defaults: disabled; every collection; sightings in {@code detection-sightings}; refresh every 5 s; local ingest. */
    public static DetectionConfig defaults()
    {
        return fromProperties(Map.of());
    }

    /** Reads and validates the {@code detection.*} keys; other keys are ignored, unknown {@code detection.*} keys rejected. */
    public static DetectionConfig fromProperties(Map<String, String> properties)
    {
        requireNonNull(properties, "properties is null");
        ConfigurationValues values = ConfigurationValues.of(properties);
        values.rejectUnknownKeys("detection.", KEYS);
        return new DetectionConfig(
                values.bool(ENABLED, false),
                collections(values),
                values.text(SIGHTINGS_COLLECTION, DEFAULT_SIGHTINGS_COLLECTION),
                // Bounded below by the constructor's "must be positive", which names the problem better.
                values.duration(REFRESH_INTERVAL, DEFAULT_REFRESH_INTERVAL, Duration.ZERO, LONGEST_DURATION),
                values.text(CREATED_BY_REF),
                ingest(values));
    }

    /** Whether every collection (but the sightings collection) is an indicator collection. */
    public boolean allCollections()
    {
        return indicatorCollections.equals(List.of(ALL_COLLECTIONS));
    }

    /** Whether detection matches the indicators of this collection. */
    public boolean isIndicatorCollection(String collectionId)
    {
        return allCollections() ? !collectionId.equals(sightingsCollection) : indicatorCollections.contains(collectionId);
    }

    public DetectionConfig withIndicatorCollections(List<String> collections)
    {
        return new DetectionConfig(enabled, collections, sightingsCollection, refreshInterval, createdByRef, ingest);
    }

    public DetectionConfig withSightingsCollection(String collection)
    {
        return new DetectionConfig(enabled, indicatorCollections, collection, refreshInterval, createdByRef, ingest);
    }

    private static Ingest ingest(ConfigurationValues values)
    {
        String value = values.text(INGEST, Ingest.LOCAL.value());
        for (Ingest ingest : Ingest.values()) {
            if (ingest.value().equals(value)) {
                return ingest;
            }
        }
        throw ConfigurationValues.invalid(INGEST, value, "must be " + Ingest.LOCAL.value() + " (match in this node) or " + Ingest.KAFKA.value() + " (publish to the Kafka matching workers)");
    }

    private static List<String> collections(ConfigurationValues values)
    {
        Optional<String> value = values.text(INDICATOR_COLLECTIONS);
        if (value.isEmpty()) {
            return List.of(ALL_COLLECTIONS);
        }
        List<String> collections = new ArrayList<>();
        for (String part : value.get().split(",", -1)) {
            String collection = part.strip();
            if (collection.isEmpty()) {
                throw ConfigurationValues.invalid(INDICATOR_COLLECTIONS, value.get(), "has an empty entry between commas");
            }
            collections.add(collection);
        }
        return collections;
    }
}
