package org.vigie.console;

import io.javalin.http.Context;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.marking.HandlingCode;
import org.vigie.exchange.marking.Pap;
import org.vigie.exchange.service.ReceivedObject;
import org.vigie.screening.ScreeningJson;
import org.vigie.screening.ScreeningQuery;
import org.vigie.screening.Screener;
import org.vigie.stix.StixObject;
import org.vigie.stix.Timestamps;
import org.vigie.stix.markings.TlpMarkings;
import org.vigie.store.CollectionInfo;
import org.vigie.store.ObjectPage;
import org.vigie.store.ObjectQuery;
import org.vigie.store.ObjectStore;
import org.vigie.store.StoredObject;
import org.vigie.store.VersionFilter;
import org.vigie.taxii.auth.AuthenticatedUser;
import org.vigie.taxii.auth.UserAdministration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/** The handlers of {@code /console/api/...}; every one filters by the user's read and write rights. */
final class ConsoleApi
{
    static final int MAXIMUM_SEARCH_LIMIT = 200;
    static final int MAXIMUM_EDGES = 500;
    static final int MAXIMUM_VERSIONS = 1_000;
    static final int MAXIMUM_CSV_BYTES = 20 * 1024 * 1024;

    private final ObjectStore store;
    private final SearchIndex index;
    private final UserAdministration users;
    private final Supplier<Screener> screener;
    private final ScreeningJobs jobs;
    private final Authoring authoring;
    private final MarkingAccess access;
    private final SharingApi sharing;

    ConsoleApi(ObjectStore store, SearchIndex index, MarkingAccess access, UserAdministration users, Supplier<Screener> screener, ScreeningJobs jobs, Authoring authoring,
            SharingApi sharing)
    {
        this.sharing = requireNonNull(sharing, "sharing is null");
        this.access = requireNonNull(access, "access is null");
        this.store = requireNonNull(store, "store is null");
        this.index = requireNonNull(index, "index is null");
        this.users = requireNonNull(users, "users is null");
        this.screener = requireNonNull(screener, "screener is null");
        this.jobs = requireNonNull(jobs, "jobs is null");
        this.authoring = requireNonNull(authoring, "authoring is null");
    }

    void login(Context context, AuthenticatedUser user)
    {
        UserAdministration.IssuedToken token = users.createToken(user.name());
        ObjectNode body = ConsoleJson.MAPPER.createObjectNode();
        body.put("token", token.token());
        body.set("user", user(user));
        ConsoleJson.write(context, body);
    }

    void me(Context context, AuthenticatedUser user)
    {
        ConsoleJson.write(context, user(user));
    }

    void collections(Context context, AuthenticatedUser user)
    {
        ObjectNode body = ConsoleJson.MAPPER.createObjectNode();
        ArrayNode array = body.putArray("collections");
        for (CollectionInfo collection : store.listCollections()) {
            if (!user.canSee(collection.id())) {
                continue;
            }
            ObjectNode node = array.addObject();
            node.put("id", collection.id());
            node.put("title", collection.title());
            collection.description().ifPresent(description -> node.put("description", description));
            node.put("can_read", user.canRead(collection.id()));
            node.put("can_write", user.canWrite(collection.id()));
            // A count would tell a user with a limited clearance how many objects it may not see.
            if (user.canRead(collection.id()) && access.clearance(user).isUnrestricted()) {
                node.put("versions", store.countObjects(collection.id()));
            }
        }
        ConsoleJson.write(context, body);
    }

    void search(Context context, AuthenticatedUser user)
    {
        String query = Optional.ofNullable(context.queryParam("q")).orElse("").strip();
        if (query.isEmpty()) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "search: the query parameter q is empty");
        }
        int limit = intParameter(context, "limit", 50, MAXIMUM_SEARCH_LIMIT);
        Optional<String> type = Optional.ofNullable(context.queryParam("type")).filter(value -> !value.isBlank());
        List<String> readable = readableCollections(user);
        Map<String, String> titles = titles();
        long started = System.nanoTime();
        SearchIndex.SearchResult result = index.search(readable, query, entry -> type.map(entry.type()::equals).orElse(true) && access.permits(user, entry, readable), limit);
        long micros = (System.nanoTime() - started) / 1_000;
        ObjectNode body = ConsoleJson.MAPPER.createObjectNode();
        body.put("query", query);
        body.put("total", result.total());
        // false: the newest SearchIndex.SCAN_LIMIT matches were counted and ranked, and there are more.
        body.put("total_exact", result.exact());
        body.put("elapsed_microseconds", micros);
        body.put("index_behind", result.behind());
        if (result.behind() > 0) {
            body.put("index_notice", "index is " + result.behind() + " object" + (result.behind() == 1 ? "" : "s") + " behind");
        }
        ArrayNode hits = body.putArray("hits");
        for (IndexEntry entry : result.hits()) {
            hits.add(summary(entry, titles, readable));
        }
        ConsoleJson.write(context, body);
    }

    void object(Context context, AuthenticatedUser user)
    {
        String id = context.pathParam("objectId");
        List<String> readable = readableCollections(user);
        Map<String, String> titles = titles();
        List<ObjectNode> versions = new ArrayList<>();
        List<String> holders = new ArrayList<>();
        Receipts receipts = receipts(id);
        for (String collectionId : readable) {
            ObjectQuery query = ObjectQuery.all(100).withIds(List.of(id)).withVersions(VersionFilter.ALL);
            boolean found = false;
            while (versions.size() < MAXIMUM_VERSIONS) {
                ObjectPage page = store.findObjects(collectionId, query);
                for (StoredObject stored : page.objects()) {
                    // Versions the user is not cleared for are left out as if they did not exist.
                    if (access.permits(user, stored.object().tree(), readable)) {
                        found = true;
                        versions.add(receipts.attach(version(collectionId, titles, stored, readable), collectionId, stored));
                    }
                }
                if (!page.more()) {
                    break;
                }
                query = query.withNext(page.next().orElseThrow());
            }
            if (found) {
                holders.add(collectionId);
            }
        }
        if (versions.isEmpty()) {
            // The same answer whether the object exists in a collection the user may not read or nowhere.
            throw new VigieException(ErrorCode.OBJECT_NOT_FOUND, "no object " + id + " in the collections you may read");
        }
        versions.sort(Comparator.comparing((ObjectNode node) -> node.get("version").stringValue()).reversed()
                .thenComparing(node -> node.get("date_added").stringValue(), Comparator.reverseOrder()));
        ObjectNode body = ConsoleJson.MAPPER.createObjectNode();
        JsonNode latest = versions.get(0).get("object");
        body.put("id", id);
        body.put("type", latest.get("type").stringValue());
        body.put("name", SearchIndex.displayName(latest, StixObject.fromJson(ConsoleJson.MAPPER.writeValueAsString(latest))));
        ArrayNode collections = body.putArray("collections");
        for (String holder : holders) {
            ObjectNode node = collections.addObject();
            node.put("id", holder);
            node.put("title", titles.getOrDefault(holder, holder));
            node.put("can_write", user.canWrite(holder));
        }
        String createdBy = ConsoleJson.text(latest, "created_by_ref");
        if (createdBy != null) {
            ObjectNode provenance = body.putObject("created_by");
            provenance.put("id", createdBy);
            resolve(createdBy, readable, user).ifPresent(entry -> provenance.put("name", entry.name()));
        }
        body.set("badges", versions.get(0).get("badges"));
        ArrayNode versionArray = body.putArray("versions");
        versions.forEach(versionArray::add);
        ConsoleJson.write(context, body);
    }

    void relationships(Context context, AuthenticatedUser user)
    {
        String id = context.pathParam("objectId");
        List<String> readable = readableCollections(user);
        Map<String, String> titles = titles();
        Map<String, ObjectNode> nodes = new LinkedHashMap<>();
        Map<String, ObjectNode> edges = new LinkedHashMap<>();
        Optional<IndexEntry> center = resolve(id, readable, user);
        if (center.isEmpty()) {
            throw new VigieException(ErrorCode.OBJECT_NOT_FOUND, "no object " + id + " in the collections you may read");
        }
        nodes.put(id, summary(center.get(), titles, readable));
        boolean truncated = false;
        for (String collectionId : readable) {
            for (IndexEntry entry : index.incident(collectionId, id)) {
                // A relationship the user is not cleared for draws no edge: it would reveal both its existence and its ends.
                if (!access.permits(user, entry, readable)) {
                    continue;
                }
                for (IndexEntry.Edge edge : entry.edges()) {
                    if (!edge.source().equals(id) && !edge.target().equals(id)) {
                        continue;
                    }
                    if (edges.size() >= MAXIMUM_EDGES) {
                        truncated = true;
                        break;
                    }
                    String other = edge.source().equals(id) ? edge.target() : edge.source();
                    Optional<IndexEntry> otherEntry = index.findAny(other, readable);
                    if (otherEntry.isPresent() && !access.permits(user, otherEntry.get(), readable)) {
                        continue;
                    }
                    String key = edge.via() + " " + edge.source() + " " + edge.target() + " " + edge.label();
                    ObjectNode edgeNode = ConsoleJson.MAPPER.createObjectNode();
                    edgeNode.put("source", edge.source());
                    edgeNode.put("target", edge.target());
                    edgeNode.put("label", edge.label());
                    edgeNode.put("via", edge.via());
                    edges.put(key, edgeNode);
                    nodes.computeIfAbsent(other, otherId -> otherEntry
                            .map(found -> summary(found, titles, readable))
                            .orElseGet(() -> unresolved(otherId)));
                }
            }
        }
        ObjectNode body = ConsoleJson.MAPPER.createObjectNode();
        body.put("id", id);
        body.put("truncated", truncated);
        ArrayNode nodeArray = body.putArray("nodes");
        nodes.values().forEach(nodeArray::add);
        ArrayNode edgeArray = body.putArray("edges");
        edges.values().forEach(edgeArray::add);
        ConsoleJson.write(context, body);
    }

    /** The markings an author may choose: TLP levels always, the Vigie handling extension's codes when the exchange is wired. */
    void markings(Context context, AuthenticatedUser user)
    {
        ObjectNode body = ConsoleJson.MAPPER.createObjectNode();
        ArrayNode levels = body.putArray("tlp");
        for (TlpMarkings.Tlp tlp : TlpMarkings.Tlp.values()) {
            levels.add(tlp.level());
        }
        boolean handling = sharing.exchange().isPresent();
        body.put("handling_markings", handling);
        if (handling) {
            ArrayNode codes = body.putArray("handling_codes");
            for (HandlingCode code : HandlingCode.values()) {
                codes.addObject().put("code", code.name()).put("meaning", code.meaning());
            }
            ArrayNode pap = body.putArray("pap");
            for (Pap level : Pap.values()) {
                pap.add(level.label());
            }
            ArrayNode reliability = body.putArray("source_reliability");
            for (char letter = 'A'; letter <= 'F'; letter++) {
                reliability.add(String.valueOf(letter));
            }
            ArrayNode credibility = body.putArray("information_credibility");
            for (int digit = 1; digit <= 6; digit++) {
                credibility.add(String.valueOf(digit));
            }
        }
        ConsoleJson.write(context, body);
    }

    /** The exchange's receipts of an object's versions (empty without an exchange), attached to the versions stored in its inbox collection. */
    private Receipts receipts(String objectId)
    {
        Optional<ConsoleExchange> exchange = sharing.exchange();
        if (exchange.isEmpty()) {
            return new Receipts(Optional.empty(), List.of());
        }
        return new Receipts(exchange, exchange.get().service().provenance(objectId));
    }

    private record Receipts(Optional<ConsoleExchange> exchange, List<ReceivedObject> received)
    {
        Receipts
        {
            requireNonNull(exchange, "exchange is null");
            received = List.copyOf(requireNonNull(received, "received is null"));
        }

        /** Adds "receipts" to a version node: every envelope that brought this version, oldest first. */
        ObjectNode attach(ObjectNode version, String collectionId, StoredObject stored)
        {
            ArrayNode array = version.putArray("receipts");
            if (exchange.isEmpty() || !exchange.get().inboxCollection().equals(collectionId)) {
                return version;
            }
            for (ReceivedObject receipt : received) {
                if (!Timestamps.tryParse(receipt.version()).equals(stored.object().version())) {
                    continue;
                }
                ObjectNode node = array.addObject();
                node.put("partner", receipt.partnerId());
                node.put("partner_name", exchange.get().partnerLabel(receipt.partnerId()));
                node.put("envelope_id", receipt.envelopeId());
                node.put("received_at", Timestamps.format(receipt.received()));
                ArrayNode handling = node.putArray("handling");
                receipt.handling().forEach(handling::add);
                receipt.recalled().ifPresent(recalled -> node.put("recalled_at", Timestamps.format(recalled)));
            }
            return version;
        }
    }

    void validatePattern(Context context, AuthenticatedUser user)
    {
        JsonNode body = ConsoleJson.body(context);
        String pattern = ConsoleJson.text(body, "pattern");
        if (pattern == null) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "pattern validation: the body needs a string property \"pattern\"");
        }
        Optional<String> error = Authoring.patternError(pattern);
        ObjectNode result = ConsoleJson.MAPPER.createObjectNode();
        result.put("valid", error.isEmpty());
        error.ifPresent(message -> result.put("message", message));
        ConsoleJson.write(context, result);
    }

    void screen(Context context, AuthenticatedUser user)
    {
        ScreeningQuery query = ScreeningJson.readQuery(ConsoleJson.body(context), "query");
        ConsoleJson.write(context, ScreeningJson.results(screener.get().screen(query)));
    }

    void startBatch(Context context, AuthenticatedUser user)
    {
        byte[] body = context.bodyAsBytes();
        if (body.length > MAXIMUM_CSV_BYTES) {
            throw new VigieException(ErrorCode.CONTENT_TOO_LARGE, "the CSV file has " + body.length + " bytes; the console screens files of up to " + MAXIMUM_CSV_BYTES);
        }
        String fileName = Optional.ofNullable(context.queryParam("file")).filter(name -> !name.isBlank()).orElse("names.csv");
        double threshold = Optional.ofNullable(context.queryParam("threshold")).map(ConsoleApi::parseThreshold).orElse(Screener.RECOMMENDED_THRESHOLD);
        ScreeningJobs.Job job = jobs.submit(user.name(), fileName, new String(body, StandardCharsets.UTF_8), threshold);
        context.status(202);
        ConsoleJson.write(context, job(job));
    }

    void batchStatus(Context context, AuthenticatedUser user)
    {
        ConsoleJson.write(context, job(findJob(context, user)));
    }

    void batchResult(Context context, AuthenticatedUser user)
    {
        ScreeningJobs.Job job = findJob(context, user);
        if (job.state != ScreeningJobs.State.DONE) {
            throw new VigieException(ErrorCode.RESOURCE_NOT_FOUND, "screening job " + job.id + " has no result: it is " + job.state.name().toLowerCase(java.util.Locale.ROOT));
        }
        String name = job.fileName.replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("\\.csv$", "") + "-screened.csv";
        context.header("Content-Disposition", "attachment; filename=\"" + name + "\"");
        context.header("Cache-Control", "no-store");
        context.contentType("text/csv; charset=utf-8");
        context.result(job.result);
    }

    void author(Context context, AuthenticatedUser user)
    {
        JsonNode body = ConsoleJson.body(context);
        String collectionId = ConsoleJson.text(body, "collection");
        String type = ConsoleJson.text(body, "type");
        JsonNode properties = body.get("properties");
        if (collectionId == null || type == null || properties == null || !properties.isObject()) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "authoring: the body needs \"collection\", \"type\", \"tlp\" and an object \"properties\"");
        }
        if (!user.canWrite(collectionId)) {
            // Not found when the user may not know the collection, forbidden when it may see but not write.
            if (user.canSee(collectionId)) {
                throw new VigieException(ErrorCode.ACCESS_DENIED, "you may not write to collection " + collectionId);
            }
            throw new VigieException(ErrorCode.COLLECTION_NOT_FOUND, "no collection " + collectionId);
        }
        if (store.findCollection(collectionId).isEmpty()) {
            throw new VigieException(ErrorCode.COLLECTION_NOT_FOUND, "no collection " + collectionId);
        }
        Optional<String> existing = Optional.ofNullable(ConsoleJson.text(body, "id"));
        if (existing.isPresent() && !user.canRead(collectionId)) {
            throw new VigieException(ErrorCode.ACCESS_DENIED, "editing needs the right to read collection " + collectionId);
        }
        if (existing.isPresent()) {
            // An edit starts from the latest version's content: one above the user's clearance is, as everywhere in the
            // console, an object that does not exist (else the answer would show its content, and the edit re-mark it).
            List<StoredObject> latest = store.findObjects(collectionId, ObjectQuery.all(1).withIds(List.of(existing.get()))).objects();
            if (latest.isEmpty() || visibleSummary(collectionId, latest.get(0).object(), latest.get(0).dateAdded(), user, readableCollections(user)).isEmpty()) {
                throw new VigieException(ErrorCode.OBJECT_NOT_FOUND, "object " + existing.get() + " is not in collection " + collectionId);
            }
        }
        StixObject saved = authoring.save(collectionId, type, existing, AuthoredMarkings.fromRequest(body), properties);
        ObjectNode result = ConsoleJson.MAPPER.createObjectNode();
        result.put("collection", collectionId);
        result.set("object", saved.tree());
        context.status(existing.isPresent() ? 200 : 201);
        ConsoleJson.write(context, result);
    }

    /** The live feed's JSON for one event, with badges resolved in the user's readable collections. */
    Optional<String> eventSummary(ObjectEvent event, AuthenticatedUser user)
    {
        return visibleSummary(event.collectionId(), event.object(), event.dateAdded(), user, readableCollections(user)).map(node -> {
            node.put("direction", event.direction().name().toLowerCase(java.util.Locale.ROOT));
            event.partner().ifPresent(partner -> node.put("partner", partner));
            return ConsoleJson.MAPPER.writeValueAsString(node);
        });
    }

    /**
     * The summary of a stored version with its badges, or empty when the user is not cleared for its
     * markings; {@code readable} are the user's readable collections (where marking-definitions are found).
     */
    Optional<ObjectNode> visibleSummary(String collectionId, StixObject object, java.time.Instant dateAdded, AuthenticatedUser user, List<String> readable)
    {
        Optional<IndexEntry> entry = SearchIndex.entry(collectionId, object, dateAdded);
        if (entry.isPresent() && !access.permits(user, entry.get(), readable)) {
            return Optional.empty();
        }
        return Optional.of(entry.map(value -> summary(value, titles(), readable)).orElseGet(() -> unresolved(object.id())));
    }

    private ObjectNode version(String collectionId, Map<String, String> titles, StoredObject stored, List<String> readable)
    {
        ObjectNode node = ConsoleJson.MAPPER.createObjectNode();
        node.put("collection", collectionId);
        node.put("collection_title", titles.getOrDefault(collectionId, collectionId));
        node.put("date_added", Timestamps.formatMicros(stored.dateAdded()));
        node.put("version", stored.object().version().map(Timestamps::format).orElse(Timestamps.formatMicros(stored.dateAdded())));
        JsonNode tree = stored.object().tree();
        List<String> markings = new ArrayList<>();
        JsonNode references = tree.get("object_marking_refs");
        if (references != null && references.isArray()) {
            references.forEach(reference -> markings.add(reference.asString()));
        }
        node.set("badges", MarkingBadges.badges(markings, reference -> index.definition(reference, readable)));
        node.set("object", tree);
        return node;
    }

    private ObjectNode summary(IndexEntry entry, Map<String, String> titles, List<String> readable)
    {
        ObjectNode node = ConsoleJson.MAPPER.createObjectNode();
        node.put("id", entry.id());
        node.put("type", entry.type());
        node.put("name", entry.name());
        node.put("resolved", true);
        node.put("collection", entry.collectionId());
        node.put("collection_title", titles.getOrDefault(entry.collectionId(), entry.collectionId()));
        node.put("version", Timestamps.format(entry.version()));
        node.put("date_added", Timestamps.formatMicros(entry.dateAdded()));
        entry.createdByRef().ifPresent(reference -> node.put("created_by_ref", reference));
        node.set("badges", MarkingBadges.badges(entry.markingRefs(), reference -> index.definition(reference, readable)));
        return node;
    }

    static ObjectNode unresolved(String id)
    {
        ObjectNode node = ConsoleJson.MAPPER.createObjectNode();
        node.put("id", id);
        int separator = id.indexOf("--");
        node.put("type", separator > 0 ? id.substring(0, separator) : "unknown");
        node.put("name", id);
        node.put("resolved", false);
        node.putArray("badges");
        return node;
    }

    /** The object in the first readable collection holding it, when the user is cleared for it. */
    private Optional<IndexEntry> resolve(String id, List<String> readable, AuthenticatedUser user)
    {
        return index.findAny(id, readable).filter(entry -> access.permits(user, entry, readable));
    }

    private ScreeningJobs.Job findJob(Context context, AuthenticatedUser user)
    {
        String jobId = context.pathParam("jobId");
        return jobs.find(user.name(), jobId)
                .orElseThrow(() -> new VigieException(ErrorCode.RESOURCE_NOT_FOUND, "no screening job " + jobId + " of yours"));
    }

    private static ObjectNode job(ScreeningJobs.Job job)
    {
        ObjectNode node = ConsoleJson.MAPPER.createObjectNode();
        node.put("id", job.id);
        node.put("file", job.fileName);
        node.put("state", job.state.name().toLowerCase(java.util.Locale.ROOT));
        node.put("total_rows", job.totalRows);
        node.put("processed_rows", job.processedRows.get());
        node.put("matched_rows", job.matchedRows);
        if (!job.error.isEmpty()) {
            node.put("error", job.error);
        }
        return node;
    }

    List<String> readableCollections(AuthenticatedUser user)
    {
        return store.listCollections().stream().map(CollectionInfo::id).filter(user::canRead).toList();
    }

    private Map<String, String> titles()
    {
        Map<String, String> titles = new LinkedHashMap<>();
        store.listCollections().forEach(collection -> titles.put(collection.id(), collection.title()));
        return titles;
    }

    private static ObjectNode user(AuthenticatedUser user)
    {
        ObjectNode node = ConsoleJson.MAPPER.createObjectNode();
        node.put("name", user.name());
        node.put("administrator", user.administrator());
        return node;
    }

    private static int intParameter(Context context, String name, int defaultValue, int maximum)
    {
        String text = context.queryParam(name);
        if (text == null || text.isBlank()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(text.strip());
            if (value < 1 || value > maximum) {
                throw new VigieException(ErrorCode.INVALID_ARGUMENT, "query parameter " + name + "=" + text + " is outside [1, " + maximum + "]");
            }
            return value;
        }
        catch (NumberFormatException e) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "query parameter " + name + "=" + text + " is not a whole number");
        }
    }

    private static double parseThreshold(String text)
    {
        try {
            return Double.parseDouble(text.strip());
        }
        catch (NumberFormatException e) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "query parameter threshold=" + text + " is not a number");
        }
    }
}
