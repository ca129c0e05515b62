package org.vigie.node.exchange;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.error.ErrorKind;
import org.vigie.error.VigieException;
import org.vigie.exchange.service.ExchangeService;
import org.vigie.exchange.service.PartnerRelease;
import org.vigie.exchange.service.ReleaseResult;
import org.vigie.store.ObjectQuery;
import org.vigie.store.ObjectStore;
import org.vigie.store.StoredObject;
import org.vigie.store.events.Event;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import static java.util.Objects.requireNonNull;

/**
 * Sends sightings back to the partner that sent the sighted indicator: handed each batch of the exchange's follower
 * of the store's event log ({@link ExchangeService#followStore(org.vigie.store.events.EventLog, Predicate, Runnable)},
 * which reads the log once for this and for the holders of changed objects), it queues each sighting added in a
 * collection other than the exchange's inbox (by live detection, the matching workers' topic, the console, a TAXII
 * POST, an import) whose {@code sighting_of_ref} was received from a partner, through {@link
 * ExchangeService#sightingBackOnce} under the release policy.
 *
 * <p>At least once: the follower saves its position only after a batch is handled, and tries a batch again after a
 * runtime failure (the databases away), so no sighting is skipped for it; {@code sightingBackOnce} does not queue a
 * sighting already in the originator's outbox, so a batch read again (or replicas following the same log) sends
 * nothing twice. A sighting that cannot go back (the indicator was not received, the partner is gone, the policy
 * withholds it) is logged and passed over. The follower starts at the log's end on its first start: sightings stored
 * before are not sent ({@code vigie sighting send} sends one by hand).
 */
final class SightingsBack
        implements Predicate<List<Event>>
{
    static final String ACTOR = "sightings back";
    private static final Logger LOG = LoggerFactory.getLogger(SightingsBack.class);
    private static final String SIGHTING_PREFIX = "sighting--";

    private final ObjectStore store;
    private final ExchangeService service;
    private final String inboxCollection;

    SightingsBack(ObjectStore store, ExchangeService service, String inboxCollection)
    {
        this.store = requireNonNull(store, "store is null");
        this.service = requireNonNull(service, "service is null");
        this.inboxCollection = requireNonNull(inboxCollection, "inboxCollection is null");
    }

    /** Queues the batch's sightings that go back; true when any was queued. Internal failures are thrown, for the follower to try again. */
    @Override
    public boolean test(List<Event> events)
    {
        boolean queued = false;
        for (Event event : events) {
            // Only sightings made here: those in the inbox came from partners.
            if (event.kind() == Event.Kind.ADDED && event.objectId().startsWith(SIGHTING_PREFIX) && !event.collectionId().equals(inboxCollection)) {
                queued |= send(event);
            }
        }
        return queued;
    }

    private boolean send(Event event)
    {
        try {
            Optional<JsonNode> sighting = latest(event.collectionId(), event.objectId());
            if (sighting.isEmpty()) {
                // Deleted since: nothing to tell.
                return false;
            }
            String sightedId = sighting.get().path("sighting_of_ref").asString("");
            if (service.provenance(sightedId).isEmpty()) {
                // A sighting of this node's own indicator goes nowhere.
                return false;
            }
            return service.sightingBackOnce(sighting.get(), ACTOR).map(result -> report(event, result)).orElse(false);
        }
        catch (VigieException e) {
            if (e.errorCode().kind() == ErrorKind.INTERNAL) {
                throw e;
            }
            LOG.warn("sightings back: {} in collection {} cannot go back to its originator: {}", event.objectId(), event.collectionId(), e.getMessage());
            return false;
        }
    }

    private Optional<JsonNode> latest(String collectionId, String objectId)
    {
        List<StoredObject> objects = store.findObjects(collectionId, ObjectQuery.all(1).withIds(List.of(objectId))).objects();
        return objects.isEmpty() ? Optional.empty() : Optional.of(objects.get(0).object().tree());
    }

    /** Logs what became of the sighting per partner; true when an envelope was queued. */
    private static boolean report(Event event, ReleaseResult result)
    {
        boolean queued = false;
        for (PartnerRelease release : result.partners()) {
            if (release.envelopeId().isPresent()) {
                queued = true;
                LOG.info("sightings back: {} queued for partner {} in envelope {}", event.objectId(), release.partnerId(), release.envelopeId().get());
            }
            else {
                LOG.info("sightings back: {} not sent to partner {}: {}", event.objectId(), release.partnerId(),
                        release.decisions().stream().filter(decision -> decision.objectId().equals(event.objectId())).findFirst()
                                .map(decision -> decision.reason() + " (" + decision.explanation() + ")").orElse("withheld"));
            }
        }
        return queued;
    }
}
