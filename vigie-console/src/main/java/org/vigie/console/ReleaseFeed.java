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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
 */
final class ReleaseFeed
        implements FeedStream.Ledger
{
    static final int MAXIMUM_OBJECTS_PER_MESSAGE = 100;
    // Ids looked up in one store query per readable collection.
    private static final int LOOKUP_CHUNK = 500;
    private static final String PARTNER_ACTOR = "partner:";

    private final ObjectStore store;
    private final SharingApi sharing;
    private final ConsoleApi api;
    private final MarkingAccess access;

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
        List<String> ids = entry.objectIds().stream().distinct().toList();
        for (String collectionId : readable) {
            List<String> missing = ids.stream().filter(id -> !found.containsKey(id)).toList();
            for (int start = 0; start < missing.size(); start += LOOKUP_CHUNK) {
                List<String> chunk = missing.subList(start, Math.min(missing.size(), start + LOOKUP_CHUNK));
                for (StoredObject stored : store.findObjects(collectionId, ObjectQuery.all(chunk.size()).withIds(chunk)).objects()) {
                    found.putIfAbsent(stored.object().id(), stored);
                    collections.putIfAbsent(stored.object().id(), collectionId);
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
}
