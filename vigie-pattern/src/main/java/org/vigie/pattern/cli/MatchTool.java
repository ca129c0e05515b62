package org.vigie.pattern.cli;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.pattern.Observation;
import org.vigie.pattern.match.BulkMatcher;
import org.vigie.pattern.match.Match;
import org.vigie.pattern.match.MatcherOptions;
import org.vigie.stix.Timestamps;
import org.vigie.stix.json.StixJson;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * {@code vigie match}: loads indicators into a {@link BulkMatcher}, streams observations in and writes
 * one STIX 2.1 sighting per match, as JSON lines. Input is a sequence of JSON values: bundles or
 * arrays (their observed-data resolved against their own objects and those seen before), or single
 * objects one per line (SCOs are remembered, up to {@link #REMEMBERED_OBJECTS}, for observed-data that
 * follow; observed-data whose object_refs are not known yet wait for them until the end of input).
 * Sightings are deterministic: the id is a UUIDv5 of the indicator id and version and the observed-data ids.
 */
public final class MatchTool
{
    public static final int REMEMBERED_OBJECTS = 100_000;
    public static final int MAXIMUM_WAITING = 10_000;
    /** Namespace of sighting ids (a fixed random UUID: changing it changes every sighting id). */
    private static final UUID SIGHTING_NAMESPACE = UUID.fromString("5b1f3c52-7d0e-4b53-9a1e-0c3f1d6a2e77");
    private static final int MAXIMUM_COUNT = 999_999_999;

    private MatchTool() {}

    /** What a run did; indicator and observation problems are reported here rather than failing the run. */
    public record Summary(int indicatorsLoaded, List<String> indicatorErrors, long observations, long sightings, List<String> observationErrors)
    {
        public Summary
        {
            indicatorErrors = List.copyOf(requireNonNull(indicatorErrors, "indicatorErrors is null"));
            observationErrors = List.copyOf(requireNonNull(observationErrors, "observationErrors is null"));
        }
    }

    public static Summary run(List<JsonNode> indicators, InputStream observations, OutputStream sightings, InstantSource clock, Optional<String> createdByRef)
    {
        requireNonNull(indicators, "indicators is null");
        requireNonNull(observations, "observations is null");
        requireNonNull(sightings, "sightings is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(createdByRef, "createdByRef is null");
        BulkMatcher matcher = BulkMatcher.create(clock, MatcherOptions.DEFAULT);
        List<String> indicatorErrors = new ArrayList<>();
        int loaded = load(matcher, indicators, indicatorErrors);
        Run run = new Run(matcher, sightings, clock, createdByRef);
        // A sequence of root-level values (one bundle, or JSON lines) read one value at a time.
        try (JsonParser parser = StixJson.mapper().createParser(observations);
                MappingIterator<JsonNode> values = StixJson.mapper().readerFor(JsonNode.class).readValues(parser)) {
            while (values.hasNextValue()) {
                run.accept(values.nextValue());
            }
        }
        catch (JacksonException e) {
            run.errors.add(StixJson.invalidJson(e).getMessage());
        }
        run.finish();
        return new Summary(loaded, indicatorErrors, run.observationCount, run.sightingCount, run.errors);
    }

    /** Loads the indicator objects among {@code objects} (others are skipped); returns how many were loaded. */
    public static int load(BulkMatcher matcher, List<JsonNode> objects, List<String> errors)
    {
        int loaded = 0;
        for (JsonNode object : objects) {
            if (!"indicator".equals(object.path("type").asString(null))) {
                continue;
            }
            try {
                matcher.upsert(object);
                loaded++;
            }
            catch (VigieException e) {
                errors.add(e.getMessage());
            }
        }
        return loaded;
    }

    /** The sighting of one match, with its properties in a fixed order. */
    public static ObjectNode sighting(Match match, Instant created, Optional<String> createdByRef)
    {
        List<String> observedIds = new ArrayList<>(match.match().observedDataIds());
        observedIds.sort(null);
        String name = match.indicatorId() + "|" + Timestamps.format(match.indicatorVersion()) + "|" + String.join(",", observedIds);
        ObjectNode sighting = StixJson.mapper().createObjectNode();
        sighting.put("type", "sighting");
        sighting.put("spec_version", "2.1");
        sighting.put("id", "sighting--" + uuid5(SIGHTING_NAMESPACE, name));
        createdByRef.ifPresent(reference -> sighting.put("created_by_ref", reference));
        sighting.put("created", Timestamps.format(created));
        sighting.put("modified", Timestamps.format(created));
        sighting.put("first_seen", Timestamps.format(match.match().firstObserved()));
        sighting.put("last_seen", Timestamps.format(match.match().lastObserved()));
        sighting.put("count", (int) Math.min(match.match().count(), MAXIMUM_COUNT));
        sighting.put("sighting_of_ref", match.indicatorId());
        ArrayNode references = sighting.putArray("observed_data_refs");
        observedIds.forEach(references::add);
        return sighting;
    }

    static UUID uuid5(UUID namespace, String name)
    {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] namespaceBytes = new byte[16];
            for (int i = 0; i < 8; i++) {
                namespaceBytes[i] = (byte) (namespace.getMostSignificantBits() >>> (56 - 8 * i));
                namespaceBytes[8 + i] = (byte) (namespace.getLeastSignificantBits() >>> (56 - 8 * i));
            }
            sha1.update(namespaceBytes);
            byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
            hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
            hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
            long most = 0;
            long least = 0;
            for (int i = 0; i < 8; i++) {
                most = (most << 8) | (hash[i] & 0xff);
                least = (least << 8) | (hash[8 + i] & 0xff);
            }
            return new UUID(most, least);
        }
        catch (NoSuchAlgorithmException e) {
            throw new VigieException(ErrorCode.INTERNAL_ERROR, "SHA-1 is not available: " + e.getMessage(), e);
        }
    }

    private static final class Run
    {
        private final BulkMatcher matcher;
        private final OutputStream out;
        private final InstantSource clock;
        private final Optional<String> createdByRef;
        // Least recently seen first: the oldest object is forgotten when the map is full.
        private final Map<String, JsonNode> objects = new LinkedHashMap<>(1024, 0.75f, true)
        {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, JsonNode> eldest)
            {
                return size() > REMEMBERED_OBJECTS;
            }
        };
        private final List<JsonNode> waiting = new ArrayList<>();
        private final List<String> errors = new ArrayList<>();
        private long observationCount;
        private long sightingCount;

        Run(BulkMatcher matcher, OutputStream out, InstantSource clock, Optional<String> createdByRef)
        {
            this.matcher = matcher;
            this.out = out;
            this.clock = clock;
            this.createdByRef = createdByRef;
        }

        void accept(JsonNode value)
        {
            List<JsonNode> unit = new ArrayList<>();
            if (value.isArray()) {
                value.forEach(unit::add);
            }
            else if (value.isObject() && "bundle".equals(value.path("type").asString(null))) {
                value.path("objects").forEach(unit::add);
            }
            else if (value.isObject()) {
                unit.add(value);
            }
            else {
                errors.add("input value is neither an object, an array nor a bundle: " + value.getNodeType());
                return;
            }
            List<JsonNode> observedData = new ArrayList<>();
            boolean newObjects = false;
            for (JsonNode object : unit) {
                if ("observed-data".equals(object.path("type").asString(null))) {
                    observedData.add(object);
                }
                else if (object.path("id").isString()) {
                    objects.put(object.get("id").stringValue(), object);
                    newObjects = true;
                }
            }
            if (newObjects && !waiting.isEmpty()) {
                List<JsonNode> retry = new ArrayList<>(waiting);
                waiting.clear();
                retry.forEach(this::observe);
            }
            observedData.forEach(this::observe);
        }

        private void observe(JsonNode observedData)
        {
            JsonNode references = observedData.get("object_refs");
            if (references != null && references.isArray()) {
                for (Iterator<JsonNode> iterator = references.iterator(); iterator.hasNext(); ) {
                    JsonNode reference = iterator.next();
                    if (reference.isString() && !objects.containsKey(reference.stringValue())) {
                        if (waiting.size() >= MAXIMUM_WAITING) {
                            errors.add(observedData.path("id").asString("-") + ": dropped, too many observed-data waiting for their objects");
                            return;
                        }
                        waiting.add(observedData);
                        return;
                    }
                }
            }
            Observation observation;
            try {
                observation = Observation.of(observedData, objects);
            }
            catch (VigieException e) {
                errors.add(e.getMessage());
                return;
            }
            observationCount++;
            Instant now = clock.instant();
            for (Match match : matcher.match(observation)) {
                write(sighting(match, now, createdByRef));
            }
        }

        private void write(ObjectNode sighting)
        {
            try {
                out.write(StixJson.compact(sighting).getBytes(StandardCharsets.UTF_8));
                out.write('\n');
                sightingCount++;
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void finish()
        {
            for (JsonNode observedData : waiting) {
                errors.add(observedData.path("id").asString("-") + ": object_refs name objects that never arrived");
            }
            waiting.clear();
            try {
                out.flush();
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
