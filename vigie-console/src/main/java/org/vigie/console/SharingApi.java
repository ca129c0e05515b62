package org.vigie.console;

import io.javalin.http.Context;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.audit.AuditEntry;
import org.vigie.exchange.audit.AuditKind;
import org.vigie.exchange.audit.AuditQuery;
import org.vigie.exchange.audit.LedgerVerification;
import org.vigie.exchange.partner.Partner;
import org.vigie.exchange.partner.TrustGroup;
import org.vigie.exchange.policy.ReleaseDecision;
import org.vigie.exchange.policy.ReleaseItem;
import org.vigie.exchange.policy.ReleasePlan;
import org.vigie.exchange.policy.WithheldReference;
import org.vigie.exchange.service.Acknowledgement;
import org.vigie.exchange.service.OutboxEntry;
import org.vigie.exchange.service.OutboxState;
import org.vigie.exchange.service.PartnerRelease;
import org.vigie.exchange.service.RecallResult;
import org.vigie.exchange.service.Receipt;
import org.vigie.exchange.service.ReleaseResult;
import org.vigie.exchange.service.ReleaseTargets;
import org.vigie.stix.Timestamps;
import org.vigie.store.CollectionInfo;
import org.vigie.store.ObjectPage;
import org.vigie.store.ObjectQuery;
import org.vigie.store.ObjectStore;
import org.vigie.store.StoredObject;
import org.vigie.taxii.auth.AuthenticatedUser;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The handlers of {@code /console/api/sharing/...}. Access rule: every signed-in user may list the
 * partners and trust groups with their delivery state and dry-run (preview) objects of collections
 * it may read; releasing, recalling, recall status, a partner's outbox entries, the audit ledger and
 * its verification are for administrators only (403 otherwise), because they act in the node's name
 * or show what went to whom from every collection.
 */
final class SharingApi
{
    static final int MAXIMUM_OBJECTS = 1_000;
    static final int MAXIMUM_COLLECTION_OBJECTS = 10_000;
    static final int MAXIMUM_AUDIT_ENTRIES = 1_000;

    private final ObjectStore store;
    private final MarkingAccess access;
    private volatile ConsoleExchange exchange;

    SharingApi(ObjectStore store, MarkingAccess access)
    {
        this.store = requireNonNull(store, "store is null");
        this.access = requireNonNull(access, "access is null");
    }

    synchronized void attach(ConsoleExchange value)
    {
        requireNonNull(value, "exchange is null");
        if (exchange != null) {
            throw new VigieException(ErrorCode.INTERNAL_ERROR, "the console already has an exchange; it is attached once, at node start");
        }
        exchange = value;
    }

    Optional<ConsoleExchange> exchange()
    {
        return Optional.ofNullable(exchange);
    }

    void partners(Context context, AuthenticatedUser user)
    {
        ConsoleExchange wired = require();
        ObjectNode body = ConsoleJson.MAPPER.createObjectNode();
        ArrayNode partners = body.putArray("partners");
        for (Partner partner : wired.registry().partners()) {
            ObjectNode node = partners.addObject();
            node.put("id", partner.id());
            node.put("name", partner.name());
            node.put("identity_id", partner.identityId());
            node.put("endpoint", partner.endpoint().toString());
            node.put("certificate_sha256", partner.certificateSha256());
            ArrayNode groups = node.putArray("groups");
            wired.registry().groupIdsOf(partner.id()).forEach(groups::add);
            node.set("outbox", outboxSummary(wired.service().outbox(partner.id())));
        }
        ArrayNode groups = body.putArray("groups");
        for (TrustGroup group : wired.registry().groups()) {
            ObjectNode node = groups.addObject();
            node.put("id", group.id());
            node.put("name", group.name());
            node.put("kind", group.kind().name().toLowerCase(Locale.ROOT));
            ArrayNode members = node.putArray("members");
            group.memberPartnerIds().forEach(members::add);
        }
        ConsoleJson.write(context, body);
    }

    void outbox(Context context, AuthenticatedUser user)
    {
        requireAdministrator(user, "a partner's outbox");
        ConsoleExchange wired = require();
        String partnerId = context.pathParam("partnerId");
        wired.registry().requirePartner(partnerId);
        ObjectNode body = ConsoleJson.MAPPER.createObjectNode();
        body.put("partner", partnerId);
        List<OutboxEntry> entries = wired.service().outbox(partnerId);
        body.set("summary", outboxSummary(entries));
        ArrayNode array = body.putArray("entries");
        for (OutboxEntry entry : entries) {
            ObjectNode node = array.addObject();
            node.put("sequence", entry.sequence());
            node.put("envelope_id", entry.envelopeId());
            node.put("kind", entry.kind().name().toLowerCase(Locale.ROOT));
            ArrayNode objects = node.putArray("object_ids");
            entry.objectIds().forEach(objects::add);
            node.put("state", entry.state().name().toLowerCase(Locale.ROOT));
            node.put("attempts", entry.attempts());
            node.put("created", Timestamps.format(entry.created()));
            node.put("next_attempt", Timestamps.format(entry.nextAttempt()));
            entry.lastError().ifPresent(error -> node.put("last_error", error));
            entry.receipt().ifPresent(receipt -> node.set("receipt", receipt(receipt)));
        }
        ConsoleJson.write(context, body);
    }

    void preview(Context context, AuthenticatedUser user)
    {
        ConsoleExchange wired = require();
        JsonNode body = ConsoleJson.body(context);
        String partnerId = ConsoleJson.text(body, "partner");
        if (partnerId == null) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "preview: the body needs a string \"partner\" and \"objects\" (ids) or \"collection\"");
        }
        wired.registry().requirePartner(partnerId);
        List<ReleaseItem> items = items(body, user, "preview");
        ReleasePlan plan = wired.service().preview(partnerId, items);
        ObjectNode result = ConsoleJson.MAPPER.createObjectNode();
        result.put("partner", partnerId);
        result.put("offered", items.size());
        ArrayNode released = result.putArray("released_object_ids");
        plan.releasedObjectIds().forEach(released::add);
        ArrayNode handling = result.putArray("handling");
        plan.handling().forEach(handling::add);
        result.set("decisions", decisions(plan.decisions()));
        result.set("withheld_references", withheldReferences(plan.withheldReferences(), user));
        result.put("bundle_objects", plan.objects().size());
        ConsoleJson.write(context, result);
    }

    void release(Context context, AuthenticatedUser user)
    {
        requireAdministrator(user, "releasing");
        ConsoleExchange wired = require();
        JsonNode body = ConsoleJson.body(context);
        ReleaseTargets targets = new ReleaseTargets(strings(body, "partners"), strings(body, "groups"));
        if (targets.partnerIds().isEmpty() && targets.groupIds().isEmpty()) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "release: the body names no \"partners\" and no \"groups\" to release to");
        }
        targets.partnerIds().forEach(wired.registry()::requirePartner);
        targets.groupIds().forEach(wired.registry()::members);
        ReleaseResult outcome = wired.service().release(items(body, user, "release"), targets, user.name());
        wired.afterRelease().run();
        ObjectNode result = ConsoleJson.MAPPER.createObjectNode();
        ArrayNode partners = result.putArray("partners");
        for (PartnerRelease release : outcome.partners()) {
            ObjectNode node = partners.addObject();
            node.put("partner", release.partnerId());
            release.envelopeId().ifPresent(envelope -> node.put("envelope_id", envelope));
            release.sequence().ifPresent(sequence -> node.put("sequence", sequence));
            node.put("queued", release.envelopeId().isPresent());
            ArrayNode released = node.putArray("released_object_ids");
            release.releasedObjectIds().forEach(released::add);
            node.set("decisions", decisions(release.decisions()));
            node.set("withheld_references", withheldReferences(release.withheldReferences(), user));
            release.recallEnvelopeId().ifPresent(envelope -> node.put("recall_envelope_id", envelope));
        }
        ConsoleJson.write(context, result);
    }

    void recall(Context context, AuthenticatedUser user)
    {
        requireAdministrator(user, "recalling");
        ConsoleExchange wired = require();
        JsonNode body = ConsoleJson.body(context);
        String objectId = ConsoleJson.text(body, "object");
        String reason = ConsoleJson.text(body, "reason");
        if (objectId == null || reason == null || reason.isBlank()) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "recall: the body needs a string \"object\" (the id) and a non-empty \"reason\"");
        }
        RecallResult recalled = wired.service().recall(objectId, reason.strip(), user.name());
        wired.afterRelease().run();
        ObjectNode result = ConsoleJson.MAPPER.createObjectNode();
        result.put("object", objectId);
        ArrayNode array = result.putArray("partners");
        recalled.recalledPartnerIds().forEach(array::add);
        ArrayNode skipped = result.putArray("skipped_partners");
        recalled.skippedPartnerIds().forEach(skipped::add);
        result.set("status", acknowledgements(wired.service().recallStatus(objectId)));
        ConsoleJson.write(context, result);
    }

    void recallStatus(Context context, AuthenticatedUser user)
    {
        requireAdministrator(user, "recall status");
        ConsoleExchange wired = require();
        String objectId = context.pathParam("objectId");
        ObjectNode result = ConsoleJson.MAPPER.createObjectNode();
        result.put("object", objectId);
        result.set("status", acknowledgements(wired.service().recallStatus(objectId)));
        ConsoleJson.write(context, result);
    }

    void audit(Context context, AuthenticatedUser user)
    {
        requireAdministrator(user, "the audit ledger");
        ConsoleExchange wired = require();
        AuditQuery query = AuditQuery.all();
        String partner = parameter(context, "partner");
        if (partner != null) {
            query = query.withPartner(partner);
        }
        String object = parameter(context, "object");
        if (object != null) {
            query = query.withObject(object);
        }
        String kinds = parameter(context, "kind");
        if (kinds != null) {
            Set<AuditKind> selected = EnumSet.noneOf(AuditKind.class);
            for (String kind : kinds.split(",")) {
                selected.add(kind(kind.strip()));
            }
            query = query.withKinds(selected);
        }
        Instant from = time(context, "from").orElse(Instant.EPOCH);
        Instant to = time(context, "to").orElse(Instant.MAX);
        if (!from.isBefore(to)) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "audit query: from=" + from + " is not before to=" + to);
        }
        if (!from.equals(Instant.EPOCH) || !to.equals(Instant.MAX)) {
            query = query.between(from, to);
        }
        int limit = limit(context);
        List<AuditEntry> entries = wired.ledger().query(query);
        // The newest entries are the ones asked about; the total says how many matched.
        List<AuditEntry> newest = entries.subList(Math.max(0, entries.size() - limit), entries.size());
        ObjectNode result = ConsoleJson.MAPPER.createObjectNode();
        result.put("total", entries.size());
        result.put("truncated", newest.size() < entries.size());
        ArrayNode array = result.putArray("entries");
        for (int index = newest.size() - 1; index >= 0; index--) {
            AuditEntry entry = newest.get(index);
            ObjectNode node = array.addObject();
            node.put("sequence", entry.sequence());
            node.put("timestamp", Timestamps.format(entry.timestamp()));
            node.put("kind", entry.kind().name());
            node.put("actor", entry.actor());
            entry.partnerId().ifPresent(value -> node.put("partner", value));
            ArrayNode objects = node.putArray("object_ids");
            entry.objectIds().forEach(objects::add);
            ArrayNode handling = node.putArray("handling");
            entry.handling().forEach(handling::add);
            entry.envelopeId().ifPresent(value -> node.put("envelope_id", value));
            node.put("detail", entry.detail());
            node.put("hash", entry.hash());
        }
        ConsoleJson.write(context, result);
    }

    void verify(Context context, AuthenticatedUser user)
    {
        requireAdministrator(user, "verifying the audit ledger");
        LedgerVerification verification = require().ledger().verify();
        ObjectNode result = ConsoleJson.MAPPER.createObjectNode();
        result.put("valid", verification.valid());
        result.put("entries_checked", verification.entriesChecked());
        verification.problem().ifPresent(problem -> result.put("problem", problem.name()));
        verification.firstBadSequence().ifPresent(sequence -> result.put("first_bad_sequence", sequence));
        result.put("explanation", verification.explanation());
        verification.head().ifPresent(head -> {
            ObjectNode node = result.putObject("head");
            node.put("sequence", head.sequence());
            node.put("hash", head.hash());
        });
        ConsoleJson.write(context, result);
    }

    private ConsoleExchange require()
    {
        ConsoleExchange wired = exchange;
        if (wired == null) {
            throw new VigieException(ErrorCode.INTERNAL_ERROR, "the exchange is not wired into this console (ConsoleRoutes.withExchange was not called at node start)");
        }
        return wired;
    }

    private static void requireAdministrator(AuthenticatedUser user, String what)
    {
        if (!user.administrator()) {
            throw new VigieException(ErrorCode.ACCESS_DENIED, what + " is for administrators only, and " + user.name() + " is not one");
        }
    }

    /** The offered objects: "objects" (ids, latest version in the first readable collection) or every object of "collection". */
    private List<ReleaseItem> items(JsonNode body, AuthenticatedUser user, String what)
    {
        String collectionId = ConsoleJson.text(body, "collection");
        List<String> ids = strings(body, "objects");
        if (ids.isEmpty() && collectionId == null) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, what + ": the body needs \"objects\" (a list of ids) or \"collection\"");
        }
        if (ids.size() > MAXIMUM_OBJECTS) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, what + ": " + ids.size() + " objects offered; the console offers up to " + MAXIMUM_OBJECTS + " at once");
        }
        List<String> collections;
        if (collectionId != null) {
            if (!user.canRead(collectionId) || store.findCollection(collectionId).isEmpty()) {
                // The same answer whether the collection is unknown or unreadable.
                throw new VigieException(ErrorCode.COLLECTION_NOT_FOUND, what + ": no collection " + collectionId + " you may read");
            }
            collections = List.of(collectionId);
        }
        else {
            collections = store.listCollections().stream().map(CollectionInfo::id).filter(user::canRead).toList();
        }
        List<ReleaseItem> items = new ArrayList<>();
        if (ids.isEmpty()) {
            ObjectQuery query = ObjectQuery.all(500);
            while (true) {
                ObjectPage page = store.findObjects(collectionId, query);
                for (StoredObject stored : page.objects()) {
                    if (access.permits(user, stored.object().tree(), collections)) {
                        items.add(ReleaseItem.of(stored.object().tree(), collectionId));
                    }
                }
                if (items.size() > MAXIMUM_COLLECTION_OBJECTS) {
                    throw new VigieException(ErrorCode.INVALID_ARGUMENT, what + ": collection " + collectionId + " holds more than " + MAXIMUM_COLLECTION_OBJECTS
                            + " objects; offer them by id, or release the collection from the command line");
                }
                if (!page.more()) {
                    return items;
                }
                query = query.withNext(page.next().orElseThrow());
            }
        }
        for (String id : ids) {
            items.add(find(id, collections, user).orElseThrow(() -> new VigieException(ErrorCode.OBJECT_NOT_FOUND, what + ": no object " + id + " in the collections you may read")));
        }
        return items;
    }

    private Optional<ReleaseItem> find(String id, List<String> collections, AuthenticatedUser user)
    {
        for (String collectionId : collections) {
            List<StoredObject> found = store.findObjects(collectionId, ObjectQuery.all(1).withIds(List.of(id))).objects();
            // An object the user is not cleared for is not found, as if it did not exist.
            if (!found.isEmpty() && access.permits(user, found.get(0).object().tree(), collections)) {
                return Optional.of(ReleaseItem.of(found.get(0).object().tree(), collectionId));
            }
        }
        return Optional.empty();
    }

    private static ObjectNode outboxSummary(List<OutboxEntry> entries)
    {
        ObjectNode node = ConsoleJson.MAPPER.createObjectNode();
        long undelivered = entries.stream().filter(entry -> entry.state() != OutboxState.STORED).count();
        node.put("depth", undelivered);
        node.put("total", entries.size());
        node.put("failures", entries.stream().filter(entry -> entry.state() != OutboxState.STORED && entry.lastError().isPresent()).count());
        ObjectNode states = node.putObject("states");
        for (OutboxState state : OutboxState.values()) {
            states.put(state.name().toLowerCase(Locale.ROOT), entries.stream().filter(entry -> entry.state() == state).count());
        }
        entries.stream().filter(entry -> entry.receipt().isPresent()).reduce((first, second) -> second).ifPresent(entry -> {
            ObjectNode last = receipt(entry.receipt().orElseThrow());
            last.put("outbox_sequence", entry.sequence());
            node.set("last_receipt", last);
        });
        entries.stream().filter(entry -> entry.state() != OutboxState.STORED && entry.lastError().isPresent()).reduce((first, second) -> second)
                .ifPresent(entry -> node.put("last_error", entry.lastError().orElseThrow()));
        return node;
    }

    private static ObjectNode receipt(Receipt receipt)
    {
        ObjectNode node = ConsoleJson.MAPPER.createObjectNode();
        receipt.envelopeId().ifPresent(value -> node.put("envelope_id", value));
        receipt.sequence().ifPresent(value -> node.put("sequence", value));
        node.put("status", receipt.status().name().toLowerCase(Locale.ROOT));
        receipt.rejection().ifPresent(value -> node.put("rejection", value.name()));
        node.put("detail", receipt.detail());
        return node;
    }

    private static ArrayNode decisions(List<ReleaseDecision> decisions)
    {
        ArrayNode array = ConsoleJson.MAPPER.createArrayNode();
        for (ReleaseDecision decision : decisions) {
            ObjectNode node = array.addObject();
            node.put("object_id", decision.objectId());
            node.put("released", decision.released());
            node.put("reason", decision.reason().name());
            decision.ruleName().ifPresent(rule -> node.put("rule", rule));
            node.put("explanation", decision.explanation());
        }
        return array;
    }

    private static ArrayNode withheldReferences(List<WithheldReference> references, AuthenticatedUser user)
    {
        ArrayNode array = ConsoleJson.MAPPER.createArrayNode();
        for (WithheldReference reference : references) {
            ObjectNode node = array.addObject();
            node.put("object_id", reference.objectId());
            node.put("path", reference.path());
            // The target may sit in a collection the user may not read; administrators read them all.
            if (user.administrator()) {
                node.put("target_id", reference.targetId());
            }
        }
        return array;
    }

    private static ArrayNode acknowledgements(List<Acknowledgement> acknowledgements)
    {
        ArrayNode array = ConsoleJson.MAPPER.createArrayNode();
        for (Acknowledgement acknowledgement : acknowledgements) {
            ObjectNode node = array.addObject();
            node.put("partner", acknowledgement.partnerId());
            node.put("envelope_id", acknowledgement.envelopeId());
            node.put("state", acknowledgement.state().name().toLowerCase(Locale.ROOT));
            node.put("acknowledged", acknowledgement.acknowledged());
            acknowledgement.lastError().ifPresent(error -> node.put("last_error", error));
        }
        return array;
    }

    private static List<String> strings(JsonNode body, String property)
    {
        JsonNode value = body.get(property);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "\"" + property + "\" must be a list of strings");
        }
        List<String> result = new ArrayList<>();
        for (JsonNode element : value.values()) {
            if (!element.isString() || element.stringValue().isBlank()) {
                throw new VigieException(ErrorCode.INVALID_ARGUMENT, "\"" + property + "\" must be a list of non-empty strings, and holds " + element);
            }
            result.add(element.stringValue().strip());
        }
        return result;
    }

    private static String parameter(Context context, String name)
    {
        String value = context.queryParam(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static AuditKind kind(String text)
    {
        try {
            return AuditKind.valueOf(text.toUpperCase(Locale.ROOT));
        }
        catch (IllegalArgumentException e) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "audit query: kind=" + text + " is not one of " + List.of(AuditKind.values()), e);
        }
    }

    static Optional<Instant> time(Context context, String name)
    {
        String text = parameter(context, name);
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Timestamps.parse(text));
        }
        catch (VigieException e) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "query parameter " + name + "=" + text + " is not an RFC 3339 timestamp (e.g. 2026-03-01T10:00:00Z)", e);
        }
    }

    private static int limit(Context context)
    {
        String text = parameter(context, "limit");
        if (text == null) {
            return 200;
        }
        try {
            int value = Integer.parseInt(text);
            if (value < 1 || value > MAXIMUM_AUDIT_ENTRIES) {
                throw new VigieException(ErrorCode.INVALID_ARGUMENT, "query parameter limit=" + text + " is outside [1, " + MAXIMUM_AUDIT_ENTRIES + "]");
            }
            return value;
        }
        catch (NumberFormatException e) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "query parameter limit=" + text + " is not a whole number", e);
        }
    }
}
