package org.vigie.console;

import org.vigie.exchange.audit.AuditEntry;
import org.vigie.stix.Timestamps;
import org.vigie.store.ObjectQuery;
import org.vigie.store.ObjectStore;
import org.vigie.store.StoredObject;
import org.vigie.taxii.auth.AuthenticatedUser;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static java.util.Objects.requireNonNull;

/**
 * The exchange's side of the live feed: releases to partners (pushed, served to a partner's TAXII read, or
 * exported for it: {@code channel} push, taxii or export) and recalls (sent and received), read
 * from the exchange's audit ledger, whose entries are written in the release's own transaction and
 * numbered in commit order on every replica. A user sees the objects of an entry that it may read in
 * some collection and is cleared for, each with its badges; an entry with none of those is not shown
 * at all. Objects that are no longer stored (a received recall deletes the object) can be judged by
 * nobody's markings, so they are shown only to administrators and, for a received recall, to users
 * who read the inbox collection with an unrestricted clearance.
 *
 * <p>Every open feed summarises the same entries for its own user. The objects an entry names are looked up once
 * per collection for all of them ({@link EntryObjects}, kept for the last {@value #REMEMBERED_ENTRIES} entries), and
 * each feed then picks, in memory, what its user may see exactly as if it had looked them up itself: each object from
 * the first of the user's readable collections that holds it. So a release costs one store read per collection
 * some feed reads, whatever the number of feeds; objects are as they were when the first feed summarised the entry.
 */
final class ReleaseFeed
        implements FeedStream.Ledger
{
    static final int MAXIMUM_OBJECTS_PER_MESSAGE = 100;
    // Ids looked up in one store query per readable collection.
    private static final int LOOKUP_CHUNK = 500;
    private static final String PARTNER_ACTOR = "partner:";
    // Entries whose objects stay looked up: feeds summarise an entry within moments of one another, and a feed
    // resuming from further back looks entries up again. Bounded in object ids as well, as the ledger tail is.
    static final int REMEMBERED_ENTRIES = 32;
    private static final int REMEMBERED_OBJECT_IDS = 50_000;

    private final ObjectStore store;
    private final SharingApi sharing;
    private final ConsoleApi api;
    private final MarkingAccess access;
    private final AtomicLong lookups = new AtomicLong();
    // Guarded by itself; insertion order is the order entries were first summarised.
    private final LinkedHashMap<String, EntryObjects> remembered = new LinkedHashMap<>();
    private long rememberedObjectIds;

    ReleaseFeed(ObjectStore store, SharingApi sharing, ConsoleApi api, MarkingAccess access)
    {
        this.store = requireNonNull(store, "store is null");
        this.sharing = requireNonNull(sharing, "sharing is null");
        this.api = requireNonNull(api, "api is null");
        this.access = requireNonNull(access, "access is null");
    }

    @Override
    public Optional<String> summary(AuditEntry entry, AuthenticatedUser user)
    {
        Optional<ConsoleExchange> exchange = sharing.exchange();
        if (exchange.isEmpty() || entry.partnerId().isEmpty()) {
            return Optional.empty();
        }
        switch (entry.kind()) {
            case RELEASE, PARTNER_READ -> {
                // A partner's TAXII read releases what it was served, as a push does: shown alike, told apart by the channel.
                return message(entry, user, exchange.get(), "release", "released", false);
            }
            case RECALL -> {
                boolean received = entry.actor().startsWith(PARTNER_ACTOR);
                boolean unresolvedShown = user.administrator()
                        || (received && user.canRead(exchange.get().inboxCollection()) && access.clearance(user).isUnrestricted());
                return message(entry, user, exchange.get(), "recall", received ? "recall-received" : "recall-sent", unresolvedShown);
            }
            case RECEIPT, REJECTION, POLICY_CHANGE, PARTNER_CHANGE -> {
                // Received objects reach the feed from the store's event log; the rest are not objects moving.
                return Optional.empty();
            }
        }
        throw new IllegalStateException("unreachable: every audit kind is handled above");
    }

    /** How the objects left: pushed in an envelope, served to the partner's TAXII read, or exported for it ({@code vigie export --partner}). */
    private static String channel(AuditEntry entry)
    {
        return switch (entry.kind()) {
            case PARTNER_READ -> "taxii";
            case RELEASE, RECALL, RECEIPT, REJECTION, POLICY_CHANGE, PARTNER_CHANGE -> entry.envelopeId().isPresent() ? "push" : "export";
        };
    }

    private Optional<String> message(AuditEntry entry, AuthenticatedUser user, ConsoleExchange exchange, String kind, String direction, boolean unresolvedShown)
    {
        String partner = exchange.partnerLabel(entry.partnerId().orElseThrow());
        List<String> readable = api.readableCollections(user);
        Map<String, StoredObject> found = new LinkedHashMap<>();
        Map<String, String> collections = new LinkedHashMap<>();
        EntryObjects named = objects(entry);
        List<String> ids = named.ids();
        for (String collectionId : readable) {
            if (found.size() == ids.size()) {
                // Every object found in a collection read earlier: the others are not looked at.
                break;
            }
            Map<String, StoredObject> held = named.in(collectionId);
            for (String id : ids) {
                StoredObject stored = held.get(id);
                if (stored != null && found.putIfAbsent(id, stored) == null) {
                    collections.put(id, collectionId);
                }
            }
        }
        List<ObjectNode> visible = new ArrayList<>();
        for (String id : ids) {
            StoredObject stored = found.get(id);
            Optional<ObjectNode> summary = stored == null
                    ? (unresolvedShown ? Optional.of(ConsoleApi.unresolved(id)) : Optional.empty())
                    : api.visibleSummary(collections.get(id), stored.object(), stored.dateAdded(), user, readable);
            summary.ifPresent(visible::add);
        }
        if (visible.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode body = ConsoleJson.MAPPER.createObjectNode();
        body.put("kind", kind);
        body.put("direction", direction);
        body.put("partner", partner);
        body.put("partner_id", entry.partnerId().orElseThrow());
        body.put("timestamp", Timestamps.format(entry.timestamp()));
        body.put("channel", channel(entry));
        entry.envelopeId().ifPresent(envelope -> body.put("envelope_id", envelope));
        ArrayNode handling = body.putArray("handling");
        entry.handling().forEach(handling::add);
        // The detail names withheld references' targets and other partners' business: the ledger's readers only.
        if (user.administrator()) {
            body.put("detail", entry.detail());
        }
        body.put("visible_objects", visible.size());
        ArrayNode objects = body.putArray("objects");
        for (ObjectNode summary : visible.subList(0, Math.min(visible.size(), MAXIMUM_OBJECTS_PER_MESSAGE))) {
            summary.put("direction", direction);
            summary.put("partner", partner);
            objects.add(summary);
        }
        return Optional.of(ConsoleJson.MAPPER.writeValueAsString(body));
    }

    /** Store queries made to look up the objects of ledger entries so far (for tests: one per entry and collection, whatever the number of feeds). */
    long lookups()
    {
        return lookups.get();
    }

    private EntryObjects objects(AuditEntry entry)
    {
        String key = entry.sequence() + ":" + entry.hash();
        synchronized (remembered) {
            EntryObjects objects = remembered.get(key);
            if (objects == null) {
                objects = new EntryObjects(entry.objectIds().stream().distinct().toList());
                remembered.put(key, objects);
                rememberedObjectIds += objects.ids().size();
                var eldest = remembered.entrySet().iterator();
                while (remembered.size() > 1 && (remembered.size() > REMEMBERED_ENTRIES || rememberedObjectIds > REMEMBERED_OBJECT_IDS)) {
                    rememberedObjectIds -= eldest.next().getValue().ids().size();
                    eldest.remove();
                }
            }
            return objects;
        }
    }

    /** The objects one ledger entry names, looked up in each collection once, by whichever feed asks first. */
    private final class EntryObjects
    {
        private final List<String> ids;
        private final ConcurrentHashMap<String, Map<String, StoredObject>> byCollection = new ConcurrentHashMap<>();

        EntryObjects(List<String> ids)
        {
            this.ids = List.copyOf(ids);
        }

        List<String> ids()
        {
            return ids;
        }

        /** The entry's objects that {@code collectionId} holds, by id; feeds asking at once wait for the one lookup. */
        Map<String, StoredObject> in(String collectionId)
        {
            return byCollection.computeIfAbsent(collectionId, this::lookUp);
        }

        private Map<String, StoredObject> lookUp(String collectionId)
        {
            Map<String, StoredObject> held = new HashMap<>();
            for (int start = 0; start < ids.size(); start += LOOKUP_CHUNK) {
                List<String> chunk = ids.subList(start, Math.min(ids.size(), start + LOOKUP_CHUNK));
                lookups.incrementAndGet();
                for (StoredObject stored : store.findObjects(collectionId, ObjectQuery.all(chunk.size()).withIds(chunk)).objects()) {
                    held.putIfAbsent(stored.object().id(), stored);
                }
            }
            return Map.copyOf(held);
        }
    }
}
