package org.vigie.taxii.server;

import io.javalin.http.Context;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.stix.ParsedObject;
import org.vigie.stix.StixObject;
import org.vigie.stix.Timestamps;
import org.vigie.store.AddOutcome;
import org.vigie.store.CollectionInfo;
import org.vigie.store.ObjectPage;
import org.vigie.store.ObjectQuery;
import org.vigie.store.ObjectStore;
import org.vigie.store.SerializedPage;
import org.vigie.store.StoredObject;
import org.vigie.store.TaxiiStatus;
import org.vigie.taxii.auth.AuthenticatedUser;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * The TAXII 2.1 endpoints (section 4 to 5 of the specification). Each handler makes a constant number of
 * store calls: a GET page is one query, a POST of any size is one batch insert and one status write.
 *
 * <p>Visibility: a collection the user may neither read nor write answers 404, exactly as a missing one,
 * so that a user cannot learn which collections exist (TAXII 2.1 allows 404 for this); a collection the
 * user can see but lacks the needed right for answers 403.
 */
final class TaxiiApi
{
    static final String DISCOVERY_PATH = "/taxii2/";
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final String PARTNER_VIEW_ATTRIBUTE = "vigie.partner-view";

    private final TaxiiServerConfig config;
    private final ObjectStore store;
    private final InstantSource clock;
    private final PartnerReads partnerReads;

    TaxiiApi(TaxiiServerConfig config, ObjectStore store, InstantSource clock, PartnerReads partnerReads)
    {
        this.config = requireNonNull(config, "config is null");
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.partnerReads = requireNonNull(partnerReads, "partnerReads is null");
    }

    String apiRootPath()
    {
        return "/" + config.apiRoot() + "/";
    }

    void discovery(Context context, AuthenticatedUser user)
    {
        String apiRootUrl = context.scheme() + "://" + context.host() + apiRootPath();
        respond(context, 200, generator -> {
            generator.writeStartObject();
            generator.writeStringProperty("title", config.title());
            if (config.description().isPresent()) {
                generator.writeStringProperty("description", config.description().get());
            }
            generator.writeStringProperty("default", apiRootUrl);
            generator.writeName("api_roots");
            generator.writeStartArray();
            generator.writeString(apiRootUrl);
            generator.writeEndArray();
            generator.writeEndObject();
        });
    }

    void apiRoot(Context context, AuthenticatedUser user)
    {
        respond(context, 200, generator -> {
            generator.writeStartObject();
            generator.writeStringProperty("title", config.title());
            if (config.description().isPresent()) {
                generator.writeStringProperty("description", config.description().get());
            }
            generator.writeName("versions");
            generator.writeStartArray();
            generator.writeString(MediaTypes.TAXII_21);
            generator.writeEndArray();
            generator.writeNumberProperty("max_content_length", config.maxContentLength());
            generator.writeEndObject();
        });
    }

    void status(Context context, AuthenticatedUser user)
    {
        String statusId = context.pathParam("statusId");
        // A status is shown to those who may write its collection (the poster and its peers), hidden from others.
        TaxiiStatus status = store.findStatus(statusId)
                .filter(found -> user.canWrite(found.collectionId()))
                .orElseThrow(() -> new VigieException(ErrorCode.STATUS_NOT_FOUND, "status " + statusId + " does not exist in API root " + config.apiRoot()));
        respond(context, 200, generator -> writeStatus(generator, status));
    }

    void collections(Context context, AuthenticatedUser user)
    {
        Optional<PartnerView> view = partnerView(context, user);
        List<CollectionInfo> visible = store.listCollections().stream()
                .filter(collection -> user.canSee(collection.id()) && (view.isEmpty() || view.get().mayRead(collection.id())))
                .toList();
        view.ifPresent(partner -> partner.recordCollections("GET collections", visible.stream().map(CollectionInfo::id).toList()));
        respond(context, 200, generator -> {
            generator.writeStartObject();
            generator.writeName("collections");
            generator.writeStartArray();
            for (CollectionInfo collection : visible) {
                writeCollection(generator, collection, user);
            }
            generator.writeEndArray();
            generator.writeEndObject();
        });
    }

    void collection(Context context, AuthenticatedUser user)
    {
        CollectionInfo collection = visibleCollection(context, user);
        partnerView(context, user).ifPresent(partner -> partner.recordCollections("GET collection " + collection.id(), List.of(collection.id())));
        respond(context, 200, generator -> writeCollection(generator, collection, user));
    }

    void manifest(Context context, AuthenticatedUser user)
    {
        String collectionId = readableCollectionId(context, user);
        ObjectQuery query = QueryParameters.query(context, QueryParameters.Filters.COLLECTION, config.pageSizeDefault(), config.pageSizeMax());
        Optional<PartnerView> view = partnerView(context, user);
        if (view.isPresent()) {
            PartnerPages.Page page = partnerPage(context, view.get(), collectionId, query, "manifest");
            writeManifest(context, page.more(), page.next(), page.objects().stream().map(ServedObject::stored).toList());
            return;
        }
        ObjectPage page = store.findObjects(collectionId, query);
        dateAddedHeaders(context, page.firstDateAdded(), page.lastDateAdded());
        writeManifest(context, page.more(), page.next(), page.objects());
    }

    private static void writeManifest(Context context, boolean more, Optional<String> next, List<StoredObject> objects)
    {
        respond(context, 200, generator -> {
            generator.writeStartObject();
            writePaging(generator, more, next);
            generator.writeName("objects");
            generator.writeStartArray();
            for (StoredObject stored : objects) {
                generator.writeStartObject();
                generator.writeStringProperty("id", stored.object().id());
                generator.writeStringProperty("date_added", Timestamps.formatMicros(stored.dateAdded()));
                generator.writeStringProperty("version", version(stored));
                generator.writeStringProperty("media_type", "application/stix+json;version=" + stored.object().specVersion());
                generator.writeEndObject();
            }
            generator.writeEndArray();
            generator.writeEndObject();
        });
    }

    void getObjects(Context context, AuthenticatedUser user)
    {
        String collectionId = readableCollectionId(context, user);
        ObjectQuery query = QueryParameters.query(context, QueryParameters.Filters.COLLECTION, config.pageSizeDefault(), config.pageSizeMax());
        Optional<PartnerView> view = partnerView(context, user);
        if (view.isPresent()) {
            writeServedPage(context, partnerPage(context, view.get(), collectionId, query, "objects"));
            return;
        }
        writeObjectsPage(context, store.findSerializedObjects(collectionId, query));
    }

    void getObject(Context context, AuthenticatedUser user)
    {
        String collectionId = readableCollectionId(context, user);
        String objectId = context.pathParam("objectId");
        ObjectQuery query = QueryParameters.query(context, QueryParameters.Filters.OBJECT, config.pageSizeDefault(), config.pageSizeMax())
                .withIds(List.of(objectId));
        Optional<PartnerView> view = partnerView(context, user);
        if (view.isPresent()) {
            PartnerPages.Page page = partnerPage(context, view.get(), collectionId, query, "object " + objectId);
            if (page.objects().isEmpty() && query.next().isEmpty() && !page.more()) {
                throw new VigieException(ErrorCode.OBJECT_NOT_FOUND, "object " + objectId + " has no version matching the filters in collection " + collectionId);
            }
            writeServedPage(context, page);
            return;
        }
        SerializedPage page = store.findSerializedObjects(collectionId, query);
        if (page.size() == 0 && query.next().isEmpty()) {
            throw new VigieException(ErrorCode.OBJECT_NOT_FOUND, "object " + objectId + " has no version matching the filters in collection " + collectionId);
        }
        writeObjectsPage(context, page);
    }

    void versions(Context context, AuthenticatedUser user)
    {
        String collectionId = readableCollectionId(context, user);
        String objectId = context.pathParam("objectId");
        ObjectQuery query = QueryParameters.query(context, QueryParameters.Filters.VERSIONS, config.pageSizeDefault(), config.pageSizeMax())
                .withIds(List.of(objectId));
        Optional<PartnerView> view = partnerView(context, user);
        if (view.isPresent()) {
            PartnerPages.Page page = partnerPage(context, view.get(), collectionId, query, "versions of " + objectId);
            if (page.objects().isEmpty() && query.next().isEmpty() && !page.more()) {
                throw new VigieException(ErrorCode.OBJECT_NOT_FOUND, "object " + objectId + " has no version matching the filters in collection " + collectionId);
            }
            writeVersions(context, page.more(), page.next(), page.objects().stream().map(ServedObject::stored).toList());
            return;
        }
        ObjectPage page = store.findObjects(collectionId, query);
        if (page.objects().isEmpty() && query.next().isEmpty()) {
            throw new VigieException(ErrorCode.OBJECT_NOT_FOUND, "object " + objectId + " has no version matching the filters in collection " + collectionId);
        }
        dateAddedHeaders(context, page.firstDateAdded(), page.lastDateAdded());
        writeVersions(context, page.more(), page.next(), page.objects());
    }

    private static void writeVersions(Context context, boolean more, Optional<String> next, List<StoredObject> objects)
    {
        respond(context, 200, generator -> {
            generator.writeStartObject();
            writePaging(generator, more, next);
            generator.writeName("versions");
            generator.writeStartArray();
            for (StoredObject stored : objects) {
                generator.writeString(version(stored));
            }
            generator.writeEndArray();
            generator.writeEndObject();
        });
    }

    void deleteObject(Context context, AuthenticatedUser user)
    {
        String collectionId = collectionId(context, user);
        if (!user.canWrite(collectionId)) {
            throw new VigieException(ErrorCode.ACCESS_DENIED, "user '" + user.name() + "' may not delete objects of collection " + collectionId);
        }
        String objectId = context.pathParam("objectId");
        int removed = store.deleteObject(collectionId, objectId, QueryParameters.versionFilter(context), QueryParameters.specVersions(context));
        if (removed == 0) {
            throw new VigieException(ErrorCode.OBJECT_NOT_FOUND, "object " + objectId + " has no version matching the filters in collection " + collectionId);
        }
        context.status(200);
        context.contentType(MediaTypes.TAXII_21);
    }

    void addObjects(Context context, AuthenticatedUser user)
    {
        MediaTypes.checkContentType(context.header("Content-Type"));
        long declaredLength = context.req().getContentLengthLong();
        if (declaredLength > config.maxContentLength()) {
            throw new VigieException(ErrorCode.CONTENT_TOO_LARGE, "the request body has " + declaredLength + " bytes, more than max_content_length (" + config.maxContentLength() + " bytes)");
        }
        String collectionId = collectionId(context, user);
        if (!user.canWrite(collectionId)) {
            throw new VigieException(ErrorCode.ACCESS_DENIED, "user '" + user.name() + "' may not add objects to collection " + collectionId);
        }
        store.findCollection(collectionId)
                .orElseThrow(() -> new VigieException(ErrorCode.COLLECTION_NOT_FOUND, "collection " + collectionId + " does not exist in API root " + config.apiRoot()));
        Instant requestTimestamp = clock.instant();
        List<ParsedObject> parsed;
        try (InputStream body = new EnvelopeReader.LimitedInputStream(context.req().getInputStream(), config.maxContentLength())) {
            parsed = EnvelopeReader.read(body);
        }
        catch (java.io.IOException e) {
            throw new VigieException(ErrorCode.IO_ERROR, "cannot read the request body: " + e.getMessage(), e);
        }

        List<ObjectAdmission.Decision> decisions = new ArrayList<>(parsed.size());
        List<StixObject> admitted = new ArrayList<>(parsed.size());
        for (ParsedObject object : parsed) {
            ObjectAdmission.Decision decision = ObjectAdmission.decide(object);
            decisions.add(decision);
            decision.object().ifPresent(admitted::add);
        }
        List<AddOutcome> outcomes = store.addObjects(collectionId, admitted);

        List<TaxiiStatus.Detail> successes = new ArrayList<>(outcomes.size());
        List<TaxiiStatus.Detail> failures = new ArrayList<>();
        int outcomeIndex = 0;
        for (ObjectAdmission.Decision decision : decisions) {
            if (decision.refusal().isPresent()) {
                failures.add(new TaxiiStatus.Detail(decision.parsed().idOrDash(), decision.versionText(), decision.refusal()));
                continue;
            }
            AddOutcome outcome = outcomes.get(outcomeIndex++);
            Optional<String> message = switch (outcome.result()) {
                case STORED -> Optional.empty();
                case DUPLICATE -> Optional.of("this version was already in the collection (added " + Timestamps.formatMicros(outcome.dateAdded()) + ")");
            };
            successes.add(new TaxiiStatus.Detail(outcome.id(), decision.versionText(), message));
        }
        TaxiiStatus status = new TaxiiStatus(UUID.randomUUID().toString(), collectionId, TaxiiStatus.Status.COMPLETE, requestTimestamp, successes, failures, List.of());
        store.saveStatus(status);
        respond(context, 202, generator -> writeStatus(generator, status));
    }

    // --- helpers ---

    private CollectionInfo visibleCollection(Context context, AuthenticatedUser user)
    {
        String collectionId = collectionId(context, user);
        return store.findCollection(collectionId)
                .orElseThrow(() -> new VigieException(ErrorCode.COLLECTION_NOT_FOUND, "collection " + collectionId + " does not exist in API root " + config.apiRoot()));
    }

    /** The partner view of a partner's request; empty for every other user (whose reads are not filtered). */
    private Optional<PartnerView> partnerView(Context context, AuthenticatedUser user)
    {
        if (user.partnerId().isEmpty()) {
            return Optional.empty();
        }
        // One view per request: it remembers the decisions it made.
        PartnerView opened = context.attribute(PARTNER_VIEW_ATTRIBUTE);
        if (opened == null) {
            String partnerId = user.partnerId().get();
            String actor = user.name().equals("partner:" + partnerId) ? user.name() : "user:" + user.name() + " as partner " + partnerId;
            opened = partnerReads.open(partnerId, actor);
            context.attribute(PARTNER_VIEW_ATTRIBUTE, opened);
        }
        return Optional.of(opened);
    }

    private PartnerPages.Page partnerPage(Context context, PartnerView view, String collectionId, ObjectQuery query, String what)
    {
        PartnerPages.Page page = PartnerPages.read(store, view, collectionId, query);
        PartnerPages.headers(context, page);
        view.record(PartnerView.Egress.TAXII_READ, "GET " + what + " of collection " + collectionId, collectionId, page.objects());
        return page;
    }

    private static void writeServedPage(Context context, PartnerPages.Page page)
    {
        respondBytes(context, ObjectsEnvelope.bytes(page.more(), page.next(), page.objects().stream().map(ServedObject::json).toList()));
    }

    /** The collection id of the path, or 404 when the user may not know the collection (a partner: when the policy opens nothing of it). */
    private String collectionId(Context context, AuthenticatedUser user)
    {
        String collectionId = context.pathParam("collectionId");
        if (!user.canSee(collectionId) || (user.partnerId().isPresent() && !partnerView(context, user).orElseThrow().mayRead(collectionId))) {
            throw new VigieException(ErrorCode.COLLECTION_NOT_FOUND, "collection " + collectionId + " does not exist in API root " + config.apiRoot());
        }
        return collectionId;
    }

    private String readableCollectionId(Context context, AuthenticatedUser user)
    {
        String collectionId = collectionId(context, user);
        if (!user.canRead(collectionId)) {
            throw new VigieException(ErrorCode.ACCESS_DENIED, "user '" + user.name() + "' may not read collection " + collectionId);
        }
        return collectionId;
    }

    private static void writeObjectsPage(Context context, SerializedPage page)
    {
        // The objects' JSON exactly as accepted, as the store's bytes: no re-serialisation, no decoding.
        dateAddedHeaders(context, page.firstDateAdded(), page.lastDateAdded());
        respondBytes(context, ObjectsEnvelope.bytes(page));
    }

    /** Writes the body straight to the servlet response, past Javalin's result stream (which copies it once more). */
    private static void respondBytes(Context context, byte[] body)
    {
        context.status(200);
        context.contentType(MediaTypes.TAXII_21);
        context.res().setContentLength(body.length);
        try {
            context.res().getOutputStream().write(body);
        }
        catch (java.io.IOException e) {
            throw new VigieException(ErrorCode.IO_ERROR, "cannot write the response: " + e.getMessage(), e);
        }
    }

    private static void writePaging(JsonGenerator generator, boolean more, Optional<String> next)
    {
        generator.writeBooleanProperty("more", more);
        if (next.isPresent()) {
            generator.writeStringProperty("next", next.get());
        }
    }

    private static void dateAddedHeaders(Context context, Optional<Instant> firstDateAdded, Optional<Instant> lastDateAdded)
    {
        firstDateAdded.ifPresent(first -> context.header("X-TAXII-Date-Added-First", Timestamps.formatMicros(first)));
        lastDateAdded.ifPresent(last -> context.header("X-TAXII-Date-Added-Last", Timestamps.formatMicros(last)));
    }

    /** The TAXII version of a stored object: modified, else created, else (unversioned objects) date added. */
    private static String version(StoredObject stored)
    {
        return Timestamps.format(stored.object().version().orElse(stored.dateAdded()));
    }

    private void writeCollection(JsonGenerator generator, CollectionInfo collection, AuthenticatedUser user)
    {
        generator.writeStartObject();
        generator.writeStringProperty("id", collection.id());
        generator.writeStringProperty("title", collection.title());
        if (collection.description().isPresent()) {
            generator.writeStringProperty("description", collection.description().get());
        }
        if (collection.alias().isPresent()) {
            generator.writeStringProperty("alias", collection.alias().get());
        }
        generator.writeBooleanProperty("can_read", user.canRead(collection.id()));
        generator.writeBooleanProperty("can_write", user.canWrite(collection.id()));
        generator.writeName("media_types");
        generator.writeStartArray();
        for (String mediaType : collection.mediaTypes()) {
            generator.writeString(mediaType);
        }
        generator.writeEndArray();
        generator.writeEndObject();
    }

    private static void writeStatus(JsonGenerator generator, TaxiiStatus status)
    {
        generator.writeStartObject();
        generator.writeStringProperty("id", status.id());
        generator.writeStringProperty("status", switch (status.status()) {
            case PENDING -> "pending";
            case COMPLETE -> "complete";
        });
        generator.writeStringProperty("request_timestamp", Timestamps.formatMicros(status.requestTimestamp()));
        generator.writeNumberProperty("total_count", status.totalCount());
        generator.writeNumberProperty("success_count", status.successes().size());
        writeDetails(generator, "successes", status.successes());
        generator.writeNumberProperty("failure_count", status.failures().size());
        writeDetails(generator, "failures", status.failures());
        generator.writeNumberProperty("pending_count", status.pendings().size());
        writeDetails(generator, "pendings", status.pendings());
        generator.writeEndObject();
    }

    private static void writeDetails(JsonGenerator generator, String name, List<TaxiiStatus.Detail> details)
    {
        generator.writeName(name);
        generator.writeStartArray();
        for (TaxiiStatus.Detail detail : details) {
            generator.writeStartObject();
            generator.writeStringProperty("id", detail.id());
            if (detail.version().isPresent()) {
                generator.writeStringProperty("version", detail.version().get());
            }
            if (detail.message().isPresent()) {
                generator.writeStringProperty("message", detail.message().get());
            }
            generator.writeEndObject();
        }
        generator.writeEndArray();
    }

    private interface Body
    {
        void write(JsonGenerator generator);
    }

    private static void respond(Context context, int status, Body body)
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
        try (JsonGenerator generator = MAPPER.createGenerator(bytes)) {
            body.write(generator);
        }
        context.status(status);
        context.contentType(MediaTypes.TAXII_21);
        context.result(bytes.toByteArray());
    }
}
