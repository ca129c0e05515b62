package org.vigie.console;

import io.javalin.http.Context;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.partner.Partner;
import org.vigie.exchange.service.ReceivedObject;
import org.vigie.stix.Timestamps;
import org.vigie.store.CollectionInfo;
import org.vigie.store.ObjectStore;
import org.vigie.taxii.auth.AuthenticatedUser;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * {@code GET /console/api/detection/sightings}: the sightings (from the search index) in the collections the user may
 * read (latest version of each), counted per sighted object and per partner, and in time buckets for
 * a chart. A sighting's partner is the exchange partner it was received from (provenance), else the
 * identity in its {@code created_by_ref}, else this node. Its time is {@code first_seen}, else
 * {@code created}.
 */
final class DetectionApi
{
    static final int MAXIMUM_SIGHTINGS = 100_000;
    static final int MAXIMUM_BUCKETS = 500;
    static final int RECENT = 50;
    // Rows of the per-object table: the most sighted first. Every sighted object of a large store made a response the browser took tens of seconds to draw.
    static final int MAXIMUM_SIGHTED = 200;
    static final String THIS_NODE = "this node";

    enum Bucket
    {
        MINUTE(Duration.ofMinutes(1)),
        HOUR(Duration.ofHours(1)),
        DAY(Duration.ofDays(1));

        private final Duration length;

        Bucket(Duration length)
        {
            this.length = length;
        }

        Instant start(Instant instant)
        {
            long millis = length.toMillis();
            return Instant.ofEpochMilli(Math.floorDiv(instant.toEpochMilli(), millis) * millis);
        }
    }

    private record Sighting(String id, String collectionId, String sightedId, String partner, Instant time, long count) {}

    private final ObjectStore store;
    private final SearchIndex index;
    private final SharingApi sharing;
    private final MarkingAccess access;

    DetectionApi(ObjectStore store, SearchIndex index, SharingApi sharing, MarkingAccess access)
    {
        this.access = requireNonNull(access, "access is null");
        this.store = requireNonNull(store, "store is null");
        this.index = requireNonNull(index, "index is null");
        this.sharing = requireNonNull(sharing, "sharing is null");
    }

    void sightings(Context context, AuthenticatedUser user)
    {
        Bucket requested = bucket(context.queryParam("bucket"));
        Optional<Instant> from = SharingApi.time(context, "from");
        Optional<Instant> to = SharingApi.time(context, "to");
        List<String> readable = store.listCollections().stream().map(CollectionInfo::id).filter(user::canRead).toList();
        List<Sighting> sightings = new ArrayList<>();
        Map<String, String> creators = new java.util.HashMap<>();
        boolean truncated = false;
        // From the search index, which keeps each sighting's facts: reading them from the store took 27 s at 1,000,000 objects.
        for (String collectionId : readable) {
            for (Map.Entry<IndexEntry, SearchIndex.SightingFacts> found : index.sightings(collectionId)) {
                IndexEntry entry = found.getKey();
                SearchIndex.SightingFacts facts = found.getValue();
                if (truncated || !access.permits(user, entry, readable)
                        || from.map(start -> facts.time().isBefore(start)).orElse(false) || to.map(end -> !facts.time().isBefore(end)).orElse(false)) {
                    continue;
                }
                sightings.add(new Sighting(entry.id(), collectionId, facts.sightedId(), partner(collectionId, entry, readable, user, creators), facts.time(), facts.count()));
                truncated = sightings.size() >= MAXIMUM_SIGHTINGS;
            }
        }
        ObjectNode body = ConsoleJson.MAPPER.createObjectNode();
        body.put("total", sightings.size());
        body.put("truncated", truncated);
        body.put("time_property", "first_seen, else created");
        body.set("per_sighted", perSighted(sightings, readable, user));
        body.put("sighted_objects", sightings.stream().map(Sighting::sightedId).distinct().count());
        body.set("per_partner", perPartner(sightings));
        chart(body, sightings, requested, from, to);
        ArrayNode recent = body.putArray("recent");
        sightings.stream().sorted(Comparator.comparing(Sighting::time).reversed().thenComparing(Sighting::id)).limit(RECENT).forEach(sighting -> {
            ObjectNode node = recent.addObject();
            node.put("id", sighting.id());
            node.put("collection", sighting.collectionId());
            node.put("sighted_id", sighting.sightedId());
            node.put("sighted_name", name(sighting.sightedId(), readable, user));
            node.put("partner", sighting.partner());
            node.put("time", Timestamps.format(sighting.time()));
            node.put("count", sighting.count());
        });
        ConsoleJson.write(context, body);
    }

    private String partner(String collectionId, IndexEntry sighting, List<String> readable, AuthenticatedUser user, Map<String, String> creators)
    {
        Optional<ConsoleExchange> exchange = sharing.exchange();
        // Received objects are stored only in the inbox collection: one provenance query per local sighting made the screen take minutes at 1,000,000 objects.
        if (exchange.isPresent() && exchange.get().inboxCollection().equals(collectionId)) {
            List<ReceivedObject> provenance = exchange.get().service().provenance(sighting.id());
            if (!provenance.isEmpty()) {
                String partnerId = provenance.get(0).partnerId();
                return exchange.get().partnerLabel(partnerId);
            }
        }
        if (sighting.createdByRef().isEmpty()) {
            return THIS_NODE;
        }
        String createdBy = sighting.createdByRef().get();
        // Per request, a creator is looked up once: thousands of sightings share a few creators.
        return creators.computeIfAbsent(createdBy, identity -> {
            if (exchange.isPresent()) {
                Optional<Partner> partner = exchange.get().registry().partnerByIdentity(identity);
                if (partner.isPresent()) {
                    return partner.get().name() + " (" + partner.get().id() + ")";
                }
            }
            return name(identity, readable, user);
        });
    }

    private ArrayNode perSighted(List<Sighting> sightings, List<String> readable, AuthenticatedUser user)
    {
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, Instant> last = new TreeMap<>();
        for (Sighting sighting : sightings) {
            long[] count = counts.computeIfAbsent(sighting.sightedId(), key -> new long[2]);
            count[0]++;
            count[1] += sighting.count();
            last.merge(sighting.sightedId(), sighting.time(), (first, second) -> first.isAfter(second) ? first : second);
        }
        ArrayNode array = ConsoleJson.MAPPER.createArrayNode();
        counts.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, long[]> entry) -> entry.getValue()[0]).reversed().thenComparing(Map.Entry::getKey))
                .limit(MAXIMUM_SIGHTED)
                .forEach(entry -> {
                    ObjectNode node = array.addObject();
                    node.put("id", entry.getKey());
                    int separator = entry.getKey().indexOf("--");
                    node.put("type", separator > 0 ? entry.getKey().substring(0, separator) : "unknown");
                    node.put("name", name(entry.getKey(), readable, user));
                    node.put("sightings", entry.getValue()[0]);
                    node.put("count", entry.getValue()[1]);
                    node.put("last", Timestamps.format(last.get(entry.getKey())));
                });
        return array;
    }

    private static ArrayNode perPartner(List<Sighting> sightings)
    {
        Map<String, long[]> counts = new TreeMap<>();
        for (Sighting sighting : sightings) {
            long[] count = counts.computeIfAbsent(sighting.partner(), key -> new long[2]);
            count[0]++;
            count[1] += sighting.count();
        }
        ArrayNode array = ConsoleJson.MAPPER.createArrayNode();
        counts.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, long[]> entry) -> entry.getValue()[0]).reversed().thenComparing(Map.Entry::getKey))
                .forEach(entry -> {
                    ObjectNode node = array.addObject();
                    node.put("partner", entry.getKey());
                    node.put("sightings", entry.getValue()[0]);
                    node.put("count", entry.getValue()[1]);
                });
        return array;
    }

    /** Buckets from the first to the last sighting (or the asked range); a coarser bucket when the range needs too many. */
    private static void chart(ObjectNode body, List<Sighting> sightings, Bucket requested, Optional<Instant> from, Optional<Instant> to)
    {
        ArrayNode buckets = ConsoleJson.MAPPER.createArrayNode();
        Bucket bucket = requested;
        if (!sightings.isEmpty() || (from.isPresent() && to.isPresent())) {
            Instant first = from.orElseGet(() -> sightings.stream().map(Sighting::time).min(Comparator.naturalOrder()).orElseThrow());
            Instant last = to.orElseGet(() -> sightings.stream().map(Sighting::time).max(Comparator.naturalOrder()).orElseThrow().plusMillis(1));
            while (bucket != Bucket.DAY && Duration.between(bucket.start(first), last).dividedBy(bucket.length) >= MAXIMUM_BUCKETS) {
                bucket = Bucket.values()[bucket.ordinal() + 1];
            }
            Map<Instant, Long> counts = new TreeMap<>();
            for (Sighting sighting : sightings) {
                counts.merge(bucket.start(sighting.time()), 1L, Long::sum);
            }
            Instant start = bucket.start(first);
            int emitted = 0;
            while (start.isBefore(last) && emitted < MAXIMUM_BUCKETS) {
                ObjectNode node = buckets.addObject();
                node.put("start", Timestamps.format(start));
                node.put("sightings", counts.getOrDefault(start, 0L));
                start = start.plus(bucket.length);
                emitted++;
            }
        }
        body.put("bucket", bucket.name().toLowerCase(Locale.ROOT));
        body.set("buckets", buckets);
    }

    // The id only (already in the visible sighting) when the user is not cleared for the named object.
    private String name(String id, List<String> readable, AuthenticatedUser user)
    {
        return index.findAny(id, readable).filter(entry -> access.permits(user, entry, readable)).map(IndexEntry::name).orElse(id);
    }

    private static Bucket bucket(String text)
    {
        if (text == null || text.isBlank()) {
            return Bucket.HOUR;
        }
        try {
            return Bucket.valueOf(text.strip().toUpperCase(Locale.ROOT));
        }
        catch (IllegalArgumentException e) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "query parameter bucket=" + text + " is not one of minute, hour, day", e);
        }
    }
}
