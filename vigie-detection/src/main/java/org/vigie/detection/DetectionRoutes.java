package org.vigie.detection;

import io.javalin.http.Context;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.stix.Timestamps;
import org.vigie.stix.json.StixJson;
import org.vigie.taxii.auth.AuthenticatedUser;
import org.vigie.taxii.server.RouteContributor;
import org.vigie.taxii.server.Routes;
import org.vigie.taxii.server.TaxiiErrors;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The ingest endpoints. {@code POST /ingest/{collectionId}/observations} takes a STIX bundle, a JSON array of
 * objects, or JSON lines (each line an object or a bundle) holding observed-data and their cyber-observables,
 * matches them with the indicators of {@code collectionId} and answers
 * {@code {"observations": n, "matches": m, "sightings": [ids], "stored_objects": k}}; with {@code detection.ingest=kafka}
 * it publishes them to the Kafka matching workers instead and answers 202 {@code {"published": n}} once the broker
 * has acknowledged them (the workers' sightings reach the sightings collection later). The caller must be able to read
 * the indicator collection (it is not revealed otherwise) and write the sightings collection.
 * {@code GET /ingest/status} shows the counters, with only the indicator collections the caller may read.
 */
final class DetectionRoutes
        implements RouteContributor
{
    static final String INGEST_PATH = "/ingest/{collectionId}/observations";
    static final String STATUS_PATH = "/ingest/status";
    private static final String JSON = "application/json";

    private final DetectionService service;

    DetectionRoutes(DetectionService service)
    {
        this.service = requireNonNull(service, "service is null");
    }

    @Override
    public void addRoutes(Routes routes)
    {
        routes.post(INGEST_PATH, this::ingest);
        routes.get(STATUS_PATH, this::status);
    }

    private void ingest(Context context, AuthenticatedUser user)
    {
        String collectionId = context.pathParam("collectionId");
        String sightingsCollection = service.config().sightingsCollection();
        if (!service.config().isIndicatorCollection(collectionId) || !user.canSee(collectionId)) {
            // The same answer whether the collection is missing or hidden from this user.
            throw TaxiiErrors.notFound("collection '" + collectionId + "' is not an indicator collection of this node's detection");
        }
        if (!user.canRead(collectionId)) {
            throw TaxiiErrors.forbidden("user '" + user.name() + "' may not read indicator collection '" + collectionId + "', so may not match observations against it");
        }
        if (!user.canWrite(sightingsCollection)) {
            throw TaxiiErrors.forbidden("user '" + user.name() + "' may not write collection '" + sightingsCollection + "', where ingest stores its sightings");
        }
        List<JsonNode> objects = readObjects(context.bodyInputStream());
        ObjectNode body = StixJson.mapper().createObjectNode();
        switch (service.config().ingest()) {
            case LOCAL -> {
                IngestResult result = service.ingest(collectionId, objects);
                body.put("observations", result.observations());
                body.put("matches", result.matches());
                ArrayNode sightings = body.putArray("sightings");
                result.sightings().forEach(sightings::add);
                body.put("stored_objects", result.storedObjects());
                context.status(200);
            }
            case KAFKA -> {
                // Accepted, not done: the workers match later and their sightings reach the sightings collection.
                body.put("published", service.publish(collectionId, objects));
                context.status(202);
            }
        }
        context.contentType(JSON).result(StixJson.compact(body));
    }

    private void status(Context context, AuthenticatedUser user)
    {
        DetectionStatus status = service.status();
        ObjectNode body = StixJson.mapper().createObjectNode();
        ArrayNode collections = StixJson.mapper().createArrayNode();
        int indicators = 0;
        for (DetectionStatus.CollectionStatus collection : status.collections()) {
            if (!user.canRead(collection.collectionId())) {
                continue;
            }
            indicators += collection.indicators();
            ObjectNode entry = collections.addObject();
            entry.put("id", collection.collectionId());
            entry.put("indicators", collection.indicators());
            collection.readUpTo().ifPresent(instant -> entry.put("read_up_to", Timestamps.formatMicros(instant)));
            entry.put("invalid_indicators", collection.invalidIndicators());
        }
        body.put("indicators", indicators);
        body.put("observations", status.observations());
        body.put("matches", status.matches());
        body.put("sightings", status.sightings());
        body.put("published", status.published());
        body.put("ingest", service.config().ingest().value());
        status.lastRefresh().ifPresent(instant -> body.put("last_refresh", Timestamps.formatMicros(instant)));
        body.put("sightings_collection", service.config().sightingsCollection());
        body.set("collections", collections);
        context.status(200).contentType(JSON).result(StixJson.compact(body));
    }

    /** The objects of a request body: bundles, arrays of objects, or single objects, as one or more JSON values. */
    static List<JsonNode> readObjects(InputStream body)
    {
        List<JsonNode> objects = new ArrayList<>();
        int values = 0;
        try (JsonParser parser = StixJson.mapper().createParser(body);
                MappingIterator<JsonNode> iterator = StixJson.mapper().readerFor(JsonNode.class).readValues(parser)) {
            while (iterator.hasNextValue()) {
                JsonNode value = iterator.nextValue();
                values++;
                if (value.isArray()) {
                    value.forEach(objects::add);
                }
                else if (value.isObject() && "bundle".equals(value.path("type").asString(null))) {
                    JsonNode bundleObjects = value.get("objects");
                    if (bundleObjects == null || !bundleObjects.isArray()) {
                        throw new VigieException(ErrorCode.INVALID_STIX, "JSON value " + values + " of the request is a bundle without an 'objects' array");
                    }
                    bundleObjects.forEach(objects::add);
                }
                else if (value.isObject()) {
                    objects.add(value);
                }
                else {
                    throw new VigieException(ErrorCode.INVALID_STIX, "JSON value " + values + " of the request is neither a bundle, an array nor an object but " + value.getNodeType());
                }
            }
        }
        catch (JacksonException e) {
            throw StixJson.invalidJson(e);
        }
        if (values == 0) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "the request body is empty; expected a STIX bundle or JSON lines of STIX objects");
        }
        return objects;
    }
}
