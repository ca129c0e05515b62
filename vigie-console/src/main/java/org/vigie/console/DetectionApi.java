package org.vigie.console;

import io.javalin.http.Context;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.partner.Partner;
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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * {@code GET /console/api/detection/sightings}: the sightings (from the search index) in the collections the user may
 * read (latest version of each) and is cleared for, counted per sighted object and per partner, and in time
 * buckets for a chart, with the latest ones. A sighting's partner is the exchange partner it was received from
 * (provenance), else the identity in its {@code created_by_ref}, else this node. Its time is {@code first_seen},
 * else {@code created}. The counting is done by the index's database ({@link SightingQueries}): the answer's
 * work grows with the rows shown and the distinct marking sets, not with the number of sightings.
 */
final class DetectionApi
{
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
        Stages stages = new Stages();
        ObjectNode body = summary(user, readable, requested, from, to, stages);
        body.put("elapsed_microseconds", stages.total());
        // Each stage's time, for the browser's resource timing (benchmarks) and anyone reading the response.
        context.header("Server-Timing", stages.header());
        ConsoleJson.write(context, body);
    }

    /** The time of each stage of one answer (System.nanoTime: durations for reading, never stored). */
    private static final class Stages
    {
        private final long started = System.nanoTime();
        private long last = started;
        private final StringBuilder header = new StringBuilder();

        void end(String stage)
        {
            long now = System.nanoTime();
            header.append(header.isEmpty() ? "" : ", ").append(stage).append(";dur=").append(String.format(Locale.ROOT, "%.1f", (now - last) / 1e6));
            last = now;
        }

        long total()
        {
            return (System.nanoTime() - started) / 1_000;
        }

        String header()
        {
            return header.toString();
        }
    }

    // The database counts; Java sees one row per marking set and creator, the listed sighted objects and the latest sightings.
    private ObjectNode summary(AuthenticatedUser user, List<String> readable, Bucket requested, Optional<Instant> from, Optional<Instant> to, Stages stages)
    {
        SightingQueries queries = index.sightingQueries();
        Reader reader = new Reader(user, readable, queries);
        // Each marking set is checked once, however many sightings carry it; the others are never counted.
        List<SightingQueries.Facet> facets = queries.facets(readable, from, to).stream().filter(facet -> reader.permits(facet.markingRefs())).toList();
        SightingQueries.Filter filter = new SightingQueries.Filter(readable, facets.stream().map(SightingQueries.Facet::markingSet).distinct().sorted().toList(), from, to);
        stages.end("facets");
        SightingQueries.MostSighted mostSighted = queries.mostSighted(filter, MAXIMUM_SIGHTED);
        stages.end("sighted");
        List<SightingQueries.Sighting> latest = queries.latest(filter, Optional.of(RECENT));
        stages.end("latest");
        Optional<ConsoleExchange> exchange = sharing.exchange();
        List<String> named = new ArrayList<>();
        mostSighted.rows().forEach(row -> named.add(row.sightedId()));
        latest.forEach(sighting -> named.add(sighting.sightedId()));
        facets.forEach(facet -> facet.createdByRef().ifPresent(named::add));
        reader.resolveNames(named);
        stages.end("names");

        ObjectNode body = ConsoleJson.MAPPER.createObjectNode();
        body.put("total", facets.stream().mapToLong(SightingQueries.Facet::sightings).sum());
        body.put("time_property", "first_seen, else created");
        ArrayNode perSighted = body.putArray("per_sighted");
        for (SightingQueries.Sighted sighted : mostSighted.rows()) {
            ObjectNode node = perSighted.addObject();
            node.put("id", sighted.sightedId());
            int separator = sighted.sightedId().indexOf("--");
            node.put("type", separator > 0 ? sighted.sightedId().substring(0, separator) : "unknown");
            node.put("name", reader.name(sighted.sightedId()));
            node.put("sightings", sighted.sightings());
            node.put("count", sighted.count());
            node.put("last", Timestamps.format(sighted.last()));
        }
        body.put("sighted_objects", mostSighted.sightedObjects());
        body.set("per_partner", perPartner(facets, filter, reader, exchange));
        stages.end("partners");
        chart(body, facets, filter, requested, queries);
        stages.end("chart");
        ArrayNode recent = body.putArray("recent");
        reader.resolveSenders(latest, exchange);
        for (SightingQueries.Sighting sighting : latest) {
            ObjectNode node = recent.addObject();
            node.put("id", sighting.id());
            node.put("collection", sighting.collectionId());
            node.put("sighted_id", sighting.sightedId());
            node.put("sighted_name", reader.name(sighting.sightedId()));
            node.put("partner", partner(sighting, reader, exchange));
            node.put("time", Timestamps.format(sighting.time()));
            node.put("count", sighting.count());
        }
        return body;
    }

    // Received objects are stored only in the inbox collection, the one place where a sighting's partner is its provenance.
    private static boolean isInbox(String collectionId, Optional<ConsoleExchange> exchange)
    {
        return exchange.isPresent() && exchange.get().inboxCollection().equals(collectionId);
    }

    /** The partner of a sighting whose sender was looked up by {@link Reader#resolveSenders}. */
    private static String partner(SightingQueries.Sighting sighting, Reader reader, Optional<ConsoleExchange> exchange)
    {
        if (isInbox(sighting.collectionId(), exchange)) {
            String sender = reader.senders.get(sighting.id());
            if (sender != null) {
                return sender;
            }
        }
        return creator(sighting.createdByRef(), reader, exchange);
    }

    // A creator that is a registered partner's identity is named as the partner, else as the identity object.
    private static String creator(Optional<String> createdByRef, Reader reader, Optional<ConsoleExchange> exchange)
    {
        if (createdByRef.isEmpty()) {
            return THIS_NODE;
        }
        return reader.creators.computeIfAbsent(createdByRef.get(), identity -> {
            if (exchange.isPresent()) {
                Optional<Partner> partner = exchange.get().registry().partnerByIdentity(identity);
                if (partner.isPresent()) {
                    return partner.get().name() + " (" + partner.get().id() + ")";
                }
            }
            return reader.name(identity);
        });
    }

    private ArrayNode perPartner(List<SightingQueries.Facet> facets, SightingQueries.Filter filter, Reader reader, Optional<ConsoleExchange> exchange)
    {
        Map<String, long[]> counts = new TreeMap<>();
        for (SightingQueries.Facet facet : facets) {
            if (!isInbox(facet.collectionId(), exchange)) {
                long[] count = counts.computeIfAbsent(creator(facet.createdByRef(), reader, exchange), key -> new long[2]);
                count[0] += facet.sightings();
                count[1] += facet.count();
            }
        }
        // The inbox's sightings one by one: each one's partner is in the exchange's provenance records, read for all of them at once.
        List<String> inbox = filter.collectionIds().stream().filter(collectionId -> isInbox(collectionId, exchange)).toList();
        SightingQueries.Filter inboxFilter = new SightingQueries.Filter(inbox, filter.markingSets(), filter.from(), filter.to());
        List<SightingQueries.Sighting> inboxSightings = inbox.isEmpty() ? List.of() : reader.queries.latest(inboxFilter, Optional.empty());
        reader.resolveSenders(inboxSightings, exchange);
        for (SightingQueries.Sighting sighting : inboxSightings) {
            long[] count = counts.computeIfAbsent(partner(sighting, reader, exchange), key -> new long[2]);
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
    private static void chart(ObjectNode body, List<SightingQueries.Facet> facets, SightingQueries.Filter filter, Bucket requested, SightingQueries queries)
    {
        ArrayNode buckets = ConsoleJson.MAPPER.createArrayNode();
        Bucket bucket = requested;
        if (!facets.isEmpty() || (filter.from().isPresent() && filter.to().isPresent())) {
            Instant first = filter.from().orElseGet(() -> facets.stream().map(SightingQueries.Facet::first).min(Comparator.naturalOrder()).orElseThrow());
            Instant last = filter.to().orElseGet(() -> facets.stream().map(SightingQueries.Facet::last).max(Comparator.naturalOrder()).orElseThrow().plusMillis(1));
            while (bucket != Bucket.DAY && Duration.between(bucket.start(first), last).dividedBy(bucket.length) >= MAXIMUM_BUCKETS) {
                bucket = Bucket.values()[bucket.ordinal() + 1];
            }
            Map<Instant, Long> counts = queries.buckets(filter, bucket.length);
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

    /** One request's user and what it has found out: marking sets checked and names read once each. */
    private final class Reader
    {
        private final AuthenticatedUser user;
        private final List<String> readable;
        private final SightingQueries queries;
        private final Map<List<String>, Boolean> decisions = new HashMap<>();
        private final Map<String, String> names = new HashMap<>();
        private final Map<String, String> creators = new HashMap<>();
        // Sighting id to the partner it was received from (inbox sightings), and each partner's label once.
        private final Map<String, String> senders = new HashMap<>();
        private final Map<String, String> partnerLabels = new HashMap<>();

        Reader(AuthenticatedUser user, List<String> readable, SightingQueries queries)
        {
            this.user = user;
            this.readable = readable;
            this.queries = queries;
        }

        /** Looks up, in one bulk read of the exchange's provenance, who sent the inbox's sightings among these. */
        void resolveSenders(List<SightingQueries.Sighting> sightings, Optional<ConsoleExchange> exchange)
        {
            List<String> ids = sightings.stream()
                    .filter(sighting -> isInbox(sighting.collectionId(), exchange) && !senders.containsKey(sighting.id()))
                    .map(SightingQueries.Sighting::id)
                    .toList();
            if (ids.isEmpty()) {
                return;
            }
            exchange.orElseThrow().service().provenance(ids).forEach((objectId, received) -> {
                // The first partner the object came from is its sender, whatever later versions did.
                String partnerId = received.get(0).partnerId();
                senders.put(objectId, partnerLabels.computeIfAbsent(partnerId, exchange.get()::partnerLabel));
            });
        }

        boolean permits(List<String> markingRefs)
        {
            return decisions.computeIfAbsent(markingRefs, refs -> access.permits(user, refs, readable));
        }

        /**
         * Reads the names of the objects in one query. An object's name is that of its entry in the first
         * readable collection holding it; the id alone (already in the visible sighting) when the user is
         * not cleared for that entry.
         */
        void resolveNames(List<String> objectIds)
        {
            List<String> missing = objectIds.stream().filter(id -> !names.containsKey(id)).distinct().sorted().toList();
            Map<String, SightingQueries.Named> first = new HashMap<>();
            for (SightingQueries.Named named : queries.names(readable, missing)) {
                first.merge(named.id(), named, (one, other) -> readable.indexOf(one.collectionId()) <= readable.indexOf(other.collectionId()) ? one : other);
            }
            for (String id : missing) {
                SightingQueries.Named named = first.get(id);
                names.put(id, named != null && permits(named.markingRefs()) ? named.name() : id);
            }
        }

        String name(String id)
        {
            if (!names.containsKey(id)) {
                resolveNames(List.of(id));
            }
            return names.get(id);
        }
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
