package org.vigie.exchange.service;

import org.vigie.exchange.audit.AuditLedger;
import org.vigie.exchange.database.DeliveryLeases;
import org.vigie.exchange.database.ExchangeDatabase;
import org.vigie.exchange.marking.MarkingResolver;
import org.vigie.exchange.partner.PartnerRegistry;
import org.vigie.exchange.policy.ReleaseDecider;
import org.vigie.exchange.policy.ReleaseItem;
import org.vigie.exchange.policy.ReleasePlan;
import org.vigie.store.ObjectStore;
import org.vigie.store.events.Event;
import org.vigie.store.events.EventLog;
import org.vigie.store.events.Subscription;
import org.vigie.taxii.server.RouteContributor;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.SortedMap;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The sovereign exchange of one node. The node creates one, mounts {@link #routes()} on its TAXII
 * server, and calls {@link #deliverDue()} from a scheduler (and right after a release, for an
 * immediate push). See docs/EXCHANGE.md.
 *
 * <p>Guarantees: a release is planned, signed, queued in each partner's outbox and written to the
 * ledger in one transaction; each partner receives its envelopes in sequence order, at least once,
 * and stores each exactly once in effect (the receiver's sequence and its receipt commit together,
 * a duplicate gets the first receipt).
 */
public interface ExchangeService
        extends AutoCloseable
{
    /** Inbox path on every node: {@code POST} a compact JWS envelope, the answer is a {@link Receipt}. */
    String INBOX_PATH = "/exchange/v1/inbox";
    /** {@code GET} the receipt this node gave for an envelope it received from the calling partner. */
    String RECEIPTS_PATH = "/exchange/v1/receipts/{envelopeId}";
    /** {@code GET} TAXII-style partner pull, filtered by the release policy; supports {@code added_after} and {@code limit}. */
    String PULL_PATH = "/exchange/v1/collections/{collectionId}/objects";

    /**
     * Plans the release of these objects to every targeted partner, and queues one signed envelope per
     * partner that gets anything. Partners that hold an earlier version of an offered object get the new
     * version too (only what they hold), or, when it is now withheld from them (narrowed markings), a recall.
     */
    ReleaseResult release(List<ReleaseItem> items, ReleaseTargets targets, String actor);

    /** As {@link #release}, offering the latest version of every object of a collection of the store. */
    ReleaseResult releaseCollection(String collectionId, ReleaseTargets targets, String actor);

    /** What this partner would receive from these objects; nothing is queued or recorded. */
    ReleasePlan preview(String partnerId, List<ReleaseItem> items);

    /**
     * Queues a recall of this object to every partner that holds it (its outbox holds a release of it not recalled
     * since, or it read the object over TAXII or got it in an export), and records it in the ledger. Holders that
     * are no longer registered are skipped, each recorded in the ledger, and reported in the result.
     */
    RecallResult recall(String objectId, String reason, String actor);

    /** Per partner a recall of this object went to: whether the partner acknowledged it. */
    List<Acknowledgement> recallStatus(String objectId);

    /**
     * Per partner, the latest envelope that carried this object or recalled it (kind RELEASE or RECALL), and
     * whether the partner acknowledged it: after a change of the object, who has applied it and who has not.
     */
    List<Acknowledgement> propagationStatus(String objectId);

    /**
     * Follows the store's event log from the cursor saved under {@code exchange-holders} (the log's end on the first
     * start) and carries every change of an object some partner holds to its holders: a revoked or narrowed new
     * version goes to each holder the policy still allows it for and is recalled from the others; a widened one goes
     * nowhere but is recalled from holders the policy now withholds it from; one with unchanged markings follows only
     * with {@code exchange.follow-new-versions}; a deletion that leaves no version in any collection recalls the object.
     * {@code queued} is told after a batch of events that queued envelopes (to wake delivery). Close the subscription
     * before the service.
     */
    default Subscription followStore(EventLog events, Runnable queued)
    {
        return followStore(events, batch -> false, queued);
    }

    /**
     * As {@link #followStore(EventLog, Runnable)}, handing each batch to {@code alongside} as well (the node's
     * sightings back), so that the log is read once for both: true when it queued envelopes. Either may see a batch
     * again after a failure or a restart, so both must be idempotent; a runtime exception from either has the batch
     * tried again after a pause.
     */
    Subscription followStore(EventLog events, Predicate<List<Event>> alongside, Runnable queued);

    /**
     * Sends a sighting of an object this node received back to the partner it came from, under the
     * policy (which must allow sightings to that partner). The sighted object itself is not sent
     * back: the originator has it.
     */
    ReleaseResult sightingBack(JsonNode sighting, String actor);

    /**
     * As {@link #sightingBack}, unless a release of this sighting (by id) to the originator is already in its
     * outbox: then nothing is queued and the answer is empty. For senders that may see one sighting more than
     * once (a follower of the event log resuming after a crash, replicas following the same log); the check
     * and the queuing are one transaction, and write transactions are serialised across processes.
     */
    Optional<ReleaseResult> sightingBackOnce(JsonNode sighting, String actor);

    /** One delivery round: per partner, pushes its due envelopes in sequence order, stopping at the first failure. */
    DeliveryReport deliverDue();

    /** A partner's outbox, in sequence order. */
    List<OutboxEntry> outbox(String partnerId);

    /** Where a received object came from (every version received), oldest first. */
    List<ReceivedObject> provenance(String objectId);

    /**
     * Where each of many objects came from, read in a few queries (a bounded number of ids each, within
     * SQLite's parameter limit): object id to every version received, oldest first, for the objects received
     * at all, in id order.
     */
    SortedMap<String, List<ReceivedObject>> provenance(Collection<String> objectIds);

    /** Requests and envelopes this node's inbox received since it started, and what became of them. */
    InboxStatistics inboxStatistics();

    /** Marking-definitions from the store and origins from the received-objects table. */
    MarkingResolver markingResolver();

    /** The inbox, receipts and partner pull endpoints, to mount on the TAXII server (which must require client certificates). */
    RouteContributor routes();

    @Override
    void close();

    /**
     * @param database the node's database; the ledger should store on {@link ExchangeDatabase#dataSource()}
     * so that its entries commit with the outbox
     * @param decider supplies the current release policy (it may change while the node runs)
     * @param random drives retry jitter
     */
    static ExchangeService create(ExchangeConfig config, LocalNode local, ExchangeDatabase database, ObjectStore store, PartnerRegistry registry,
            AuditLedger ledger, Supplier<ReleaseDecider> decider, InstantSource clock, Random random)
    {
        return create(config, local, database, store, registry, ledger, decider, clock, random,
                DeliveryLeases.on(database, "process-" + UUID.randomUUID(), DEFAULT_LEASE, clock));
    }

    /** How long a delivery lease lasts when the caller does not choose. */
    Duration DEFAULT_LEASE = Duration.ofSeconds(30);

    /**
     * As above, delivering under these leases: replicas sharing one database deliver each partner's outbox
     * one at a time (see {@link DeliveryLeases}).
     */
    static ExchangeService create(ExchangeConfig config, LocalNode local, ExchangeDatabase database, ObjectStore store, PartnerRegistry registry,
            AuditLedger ledger, Supplier<ReleaseDecider> decider, InstantSource clock, Random random, DeliveryLeases leases)
    {
        return new DefaultExchangeService(config, local, database, store, registry, ledger, decider, clock, random, leases);
    }
}
