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
import org.vigie.store.events.Cursor;
import org.vigie.store.events.Event;
import org.vigie.store.events.EventBatch;
import org.vigie.store.events.EventLog;
import org.vigie.store.events.Subscription;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Sends sightings back to the partner that sent the sighted indicator: follows the store's event log (additions
 * only), and for each sighting stored in a collection other than the exchange's inbox (by live detection, the
 * matching workers' topic, the console, a TAXII POST, an import) whose {@code sighting_of_ref} was received from a
 * partner, queues it for that partner through {@link ExchangeService#sightingBackOnce} under the release policy.
 *
 * <p>At least once: the log's position is saved as consumer {@value #CONSUMER} after each batch is handled, so a
 * crash re-reads at most that batch; {@code sightingBackOnce} does not queue a sighting already in the originator's
 * outbox, so re-reading (or replicas following the same log) sends nothing twice. A failure of the databases
 * (internal errors) is retried after a pause until it passes or the node stops, so no sighting is skipped for it;
 * a sighting that cannot go back (the indicator was not received, the partner is gone, the policy withholds it) is
 * logged and passed over. The first start begins at the log's end: sightings stored before the feature existed are
 * not sent ({@code vigie sighting send} sends one by hand).
 */
final class SightingsBack
        implements AutoCloseable
{
    static final String CONSUMER = "exchange-sightings-back";
    static final String ACTOR = "sightings back";
    private static final Logger LOG = LoggerFactory.getLogger(SightingsBack.class);
    private static final String SIGHTING_PREFIX = "sighting--";
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

    private final EventLog log;
    private final ObjectStore store;
    private final ExchangeService service;
    private final String inboxCollection;
    private final Runnable afterQueued;
    private volatile boolean running = true;
    private final Subscription subscription;

    private SightingsBack(ObjectStore store, ExchangeService service, String inboxCollection, Runnable afterQueued)
    {
        this.afterQueued = requireNonNull(afterQueued, "afterQueued is null");
        this.store = requireNonNull(store, "store is null");
        this.log = store.events();
        this.service = requireNonNull(service, "service is null");
        this.inboxCollection = requireNonNull(inboxCollection, "inboxCollection is null");
        Optional<Cursor> saved = log.savedCursor(CONSUMER);
        Cursor from = saved.orElseGet(log::end);
        if (saved.isEmpty()) {
            // Saved at once: a restart before the first batch must resume here, not at a later end.
            log.saveCursor(CONSUMER, from);
        }
        this.subscription = log.subscribe(from, Event.Kind.ADDED, this::handle);
    }

    /**
     * Starts following the log of {@code store} from the saved position (the log's end on the first start);
     * {@code afterQueued} runs after a sighting was queued (to wake delivery).
     */
    static SightingsBack start(ObjectStore store, ExchangeService service, String inboxCollection, Runnable afterQueued)
    {
        return new SightingsBack(store, service, inboxCollection, afterQueued);
    }

    @Override
    public void close()
    {
        running = false;
        subscription.close();
    }

    private void handle(EventBatch batch)
    {
        for (Event event : batch.events()) {
            if (!event.objectId().startsWith(SIGHTING_PREFIX) || event.collectionId().equals(inboxCollection)) {
                // Only sightings made here: those in the inbox came from partners.
                continue;
            }
            while (running && !send(event)) {
                pause();
            }
            if (!running) {
                // Closed while retrying: the position stays before this event, which the next start reads again.
                return;
            }
        }
        while (running && !saved(batch.next())) {
            pause();
        }
    }

    private boolean saved(Cursor cursor)
    {
        try {
            log.saveCursor(CONSUMER, cursor);
            return true;
        }
        catch (VigieException e) {
            LOG.warn("sightings back: position not saved yet, will retry: {}", e.getMessage());
            return false;
        }
    }

    /** False when a database failed and the event must be tried again; true when it is done with (sent or passed over). */
    private boolean send(Event event)
    {
        try {
            Optional<JsonNode> sighting = latest(event.collectionId(), event.objectId());
            if (sighting.isEmpty()) {
                // Deleted since: nothing to tell.
                return true;
            }
            String sightedId = sighting.get().path("sighting_of_ref").asString("");
            if (service.provenance(sightedId).isEmpty()) {
                // A sighting of this node's own indicator goes nowhere.
                return true;
            }
            Optional<ReleaseResult> result = service.sightingBackOnce(sighting.get(), ACTOR);
            result.ifPresent(value -> report(event, value));
            return true;
        }
        catch (VigieException e) {
            if (e.errorCode().kind() == ErrorKind.INTERNAL) {
                LOG.warn("sightings back: {} in collection {} not sent yet, will retry: {}", event.objectId(), event.collectionId(), e.getMessage());
                return false;
            }
            LOG.warn("sightings back: {} in collection {} cannot go back to its originator: {}", event.objectId(), event.collectionId(), e.getMessage());
            return true;
        }
        catch (RuntimeException e) {
            // Anything else (a driver's own exception) is tried again too: thrown on, it would end the subscription.
            LOG.warn("sightings back: {} in collection {} not sent yet, will retry", event.objectId(), event.collectionId(), e);
            return false;
        }
    }

    private Optional<JsonNode> latest(String collectionId, String objectId)
    {
        List<StoredObject> objects = store.findObjects(collectionId, ObjectQuery.all(1).withIds(List.of(objectId))).objects();
        return objects.isEmpty() ? Optional.empty() : Optional.of(objects.get(0).object().tree());
    }

    private void report(Event event, ReleaseResult result)
    {
        for (PartnerRelease release : result.partners()) {
            if (release.envelopeId().isPresent()) {
                afterQueued.run();
                LOG.info("sightings back: {} queued for partner {} in envelope {}", event.objectId(), release.partnerId(), release.envelopeId().get());
            }
            else {
                LOG.info("sightings back: {} not sent to partner {}: {}", event.objectId(), release.partnerId(),
                        release.decisions().stream().filter(decision -> decision.objectId().equals(event.objectId())).findFirst()
                                .map(decision -> decision.reason() + " (" + decision.explanation() + ")").orElse("withheld"));
            }
        }
    }

    private void pause()
    {
        try {
            Thread.sleep(RETRY_PAUSE.toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
