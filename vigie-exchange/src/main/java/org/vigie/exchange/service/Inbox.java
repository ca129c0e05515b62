package org.vigie.exchange.service;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.audit.AuditKind;
import org.vigie.exchange.audit.AuditLedger;
import org.vigie.exchange.audit.AuditRecord;
import org.vigie.exchange.audit.AuditRecords;
import org.vigie.exchange.canonical.CanonicalJson;
import org.vigie.exchange.database.ExchangeDatabase;
import org.vigie.exchange.database.PartnerHoldings;
import org.vigie.exchange.envelope.Envelope;
import org.vigie.exchange.envelope.EnvelopeVerifier;
import org.vigie.exchange.envelope.RejectionReason;
import org.vigie.exchange.envelope.SequenceTracker;
import org.vigie.exchange.envelope.VerificationResult;
import org.vigie.exchange.partner.Partner;
import org.vigie.exchange.partner.PartnerRegistry;
import org.vigie.exchange.policy.ReleaseItem;
import org.vigie.exchange.policy.ReleasePlan;
import org.vigie.exchange.policy.ReleasePlanner;
import org.vigie.stix.StixObject;
import org.vigie.stix.json.StixJson;
import org.vigie.store.CollectionInfo;
import org.vigie.store.ObjectPage;
import org.vigie.store.ObjectQuery;
import org.vigie.store.ObjectStore;
import org.vigie.store.StoredObject;
import org.vigie.store.VersionFilter;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The receiving side: authenticates the partner by its pinned certificate, verifies the envelopes,
 * stores their objects in the inbound collection with their provenance, applies recalls, commits the
 * sequences, audits, and answers a signed receipt per envelope. Requests are verified concurrently and then
 * processed one at a time, so a duplicate sent concurrently finds the first one's receipt.
 *
 * <p>The objects' provenance is committed first, then the objects are added to the store, then the
 * exchange transaction (sequence, receipt, ledger) commits. So an object is never readable before its
 * origin is known (a received object never looks locally made, even for a moment); if the node stops
 * in between, the sender's retry finds the provenance rows (kept, the first origin stays), stores the
 * objects again as duplicates (the store is idempotent per id and version) and commits then.
 */
final class Inbox
{
    private final ExchangeConfig config;
    private final ExchangeDatabase database;
    private final ObjectStore store;
    private final PartnerRegistry registry;
    private final AuditLedger ledger;
    private final LocalNode local;
    private final ReceiptSignature signature;
    private final PendingSequences sequences;
    private final EnvelopeVerifier verifier;
    private final InstantSource clock;
    private final Supplier<ReleasePlanner> planner;
    /** How long a request that arrived ahead of its turn waits for the envelopes before it (see {@link #awaitTurn}). */
    private static final long TURN_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** The longest such a wait lasts even while the partner's earlier requests are still in progress (the sender gives up after its request timeout). */
    private static final long TURN_WAIT_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** Requests being verified, waiting for their turn or stored; guarded by {@link #lock}. */
    private final List<InProgress> inProgress = new ArrayList<>();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition turn = lock.newCondition();
    /** Told the time (System.nanoTime) each group of envelopes was committed; for the latency benchmark, which times release to commit. */
    private volatile LongConsumer committed = nanos -> { };
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong envelopesReceived = new AtomicLong();
    private final AtomicLong storedEnvelopes = new AtomicLong();
    private final AtomicLong rejectedEnvelopes = new AtomicLong();
    private volatile boolean collectionReady;

    Inbox(ExchangeConfig config, ExchangeDatabase database, ObjectStore store, PartnerRegistry registry, AuditLedger ledger, LocalNode local,
            ReceiptSignature signature, InstantSource clock, Supplier<ReleasePlanner> planner)
    {
        this.config = requireNonNull(config, "config is null");
        this.database = requireNonNull(database, "database is null");
        this.store = requireNonNull(store, "store is null");
        this.registry = requireNonNull(registry, "registry is null");
        this.ledger = requireNonNull(ledger, "ledger is null");
        this.local = requireNonNull(local, "local is null");
        this.signature = requireNonNull(signature, "signature is null");
        this.sequences = new PendingSequences(SequenceTracker.jdbc(database));
        this.verifier = EnvelopeVerifier.create(registry, local.identityId(), sequences);
        this.clock = requireNonNull(clock, "clock is null");
        this.planner = requireNonNull(planner, "planner is null");
    }

    /** The partner whose pinned certificate the client presented; unknown certificates are audited and refused. */
    Partner authenticate(Optional<X509Certificate> certificate, String where)
    {
        if (certificate.isEmpty()) {
            throw new VigieException(ErrorCode.AUTHENTICATION_REQUIRED, where + ": a partner must present its TLS client certificate");
        }
        String fingerprint = PinnedTrustManager.fingerprint(certificate.get());
        Optional<Partner> partner = registry.partnerByCertificate(fingerprint);
        if (partner.isPresent()) {
            return partner.get();
        }
        String detail = where + ": client certificate '" + certificate.get().getSubjectX500Principal().getName() + "' (sha256 " + fingerprint + ") is not pinned for any partner";
        database.inTransaction("audit an unknown client certificate", connection -> ledger.append(
                new AuditRecord(AuditKind.REJECTION, "unknown", Optional.empty(), List.of(), List.of(), Optional.empty(), detail)));
        throw new VigieException(ErrorCode.AUTHENTICATION_REQUIRED, detail);
    }

    /** A receipt as given: the record and its signed form, the text that travels. */
    record Answer(Receipt receipt, String signed) {}

    /**
     * Receives envelopes sent in one request, in their order. Their format, signatures, sender and recipient
     * are checked first, outside the inbox's turn, so that a sender's next request is verified while the one
     * before it is stored; then, one request at a time, sequences are checked strictly in order. Consecutive
     * releases are stored with one store call and committed in one transaction (group commit); a recall is
     * applied on its own, after what precedes it is committed. Processing stops at the first envelope that
     * is not stored, so the answers are a prefix of the envelopes: what is not answered was not looked at.
     */
    List<Answer> receive(List<String> envelopes, Partner peer)
    {
        requests.incrementAndGet();
        envelopesReceived.addAndGet(envelopes.size());
        InProgress mine = new InProgress(peer.id());
        lock.lock();
        try {
            inProgress.add(mine);
        }
        finally {
            lock.unlock();
        }
        List<Answer> answers;
        try {
            List<VerificationResult> checked = new ArrayList<>(envelopes.size());
            List<Prepared> prepared = new ArrayList<>(envelopes.size());
            for (String jws : envelopes) {
                VerificationResult result = verifier.verifyContent(jws, Optional.of(peer));
                checked.add(result);
                prepared.add(result instanceof VerificationResult.Accepted accepted ? prepare(accepted.envelope(), jws) : Prepared.NOTHING);
            }
            lock.lock();
            try {
                awaitTurn(checked, mine);
                answers = receiveInTurn(envelopes, checked, prepared, peer);
            }
            finally {
                sequences.clear();
                lock.unlock();
            }
        }
        finally {
            lock.lock();
            try {
                inProgress.remove(mine);
                turn.signalAll();
            }
            finally {
                lock.unlock();
            }
        }
        for (Answer answer : answers) {
            switch (answer.receipt().status()) {
                case STORED -> storedEnvelopes.incrementAndGet();
                case REJECTED -> rejectedEnvelopes.incrementAndGet();
                case VERIFIED -> { }
            }
        }
        return answers;
    }

    void onCommitted(LongConsumer listener)
    {
        committed = requireNonNull(listener, "listener is null");
    }

    InboxStatistics statistics()
    {
        return new InboxStatistics(requests.get(), envelopesReceived.get(), storedEnvelopes.get(), rejectedEnvelopes.get());
    }

    /**
     * A sender with several requests in flight may have its next request arrive while the one before is still
     * being verified or stored, or even before it: the request waits for the sequences before it to be
     * committed, as long as another request of that partner is in progress, and then briefly for one still
     * on its way. If they are not committed (the earlier request failed), the sequence check refuses it as
     * out of order and the sender sends it again; nothing is ever stored out of order.
     */
    private void awaitTurn(List<VerificationResult> checked, InProgress mine)
    {
        if (!(checked.get(0) instanceof VerificationResult.Accepted accepted)) {
            return;
        }
        Envelope first = accepted.envelope();
        mine.firstSequence = first.sequence();
        long start = System.nanoTime();
        long idleSince = start;
        while (first.sequence() > sequences.lastAccepted(first.sender(), first.recipient()) + 1) {
            long now = System.nanoTime();
            if (inProgress.stream().anyMatch(other -> other != mine && other.partnerId.equals(mine.partnerId) && other.firstSequence < first.sequence())) {
                idleSince = now;
            }
            long remaining = Math.min(idleSince + TURN_WAIT_NANOS, start + TURN_WAIT_LIMIT_NANOS) - now;
            if (remaining <= 0) {
                return;
            }
            try {
                turn.awaitNanos(remaining);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private List<Answer> receiveInTurn(List<String> envelopes, List<VerificationResult> checked, List<Prepared> prepared, Partner peer)
    {
        List<Answer> answers = new ArrayList<>();
        List<Verified> group = new ArrayList<>();
        for (int index = 0; index < envelopes.size(); index++) {
            String jws = envelopes.get(index);
            VerificationResult result = checked.get(index) instanceof VerificationResult.Accepted content ? verifier.checkSequence(content.envelope()) : checked.get(index);
            if (result instanceof VerificationResult.Accepted accepted) {
                Verified verified = new Verified(accepted.envelope(), jws, prepared.get(index));
                if (isRecall(accepted.envelope())) {
                    if (!flush(group, peer, answers)) {
                        return answers;
                    }
                    group.add(verified);
                    if (!flush(group, peer, answers)) {
                        return answers;
                    }
                }
                else {
                    group.add(verified);
                    sequences.pending(accepted.envelope());
                }
                continue;
            }
            if (!flush(group, peer, answers)) {
                return answers;
            }
            Answer answer = rejected((VerificationResult.Rejected) result, jws, peer);
            answers.add(answer);
            // The very same envelope again (its first receipt was lost) is not a failure: go on.
            if (answer.receipt().status() != ReceiptStatus.STORED) {
                return answers;
            }
        }
        flush(group, peer, answers);
        return answers;
    }

    /** A request of a partner in progress, and the sequence its envelopes start at once verified (until then it may come first). */
    private static final class InProgress
    {
        private final String partnerId;
        private long firstSequence = Long.MIN_VALUE;

        InProgress(String partnerId)
        {
            this.partnerId = requireNonNull(partnerId, "partnerId is null");
        }
    }

    private record Verified(Envelope envelope, String jws, Prepared prepared) {}

    /**
     * The objects an envelope releases, made ready for the store (their compact JSON written) before the
     * request's turn, so that this work runs beside another request's storing; or why they could not be.
     */
    private record Prepared(List<StixObject> objects, Optional<VigieException> failure)
    {
        static final Prepared NOTHING = new Prepared(List.of(), Optional.empty());
    }

    private static Prepared prepare(Envelope envelope, String jws)
    {
        List<StixObject> objects = new ArrayList<>();
        List<JsonNode> trees = new ArrayList<>();
        envelope.bundle().path("objects").values().forEach(trees::add);
        // The signed text of each object when the payload can be cut (it is canonical, already verified); else written again.
        List<String> texts = BundleSlices.objects(jws).filter(slices -> slices.size() == trees.size()).orElse(null);
        try {
            for (int index = 0; index < trees.size(); index++) {
                JsonNode object = trees.get(index);
                if (!DefaultExchangeService.RECALL_TYPE.equals(object.path("type").asString(""))) {
                    objects.add(StixObject.fromTree(object, texts != null ? texts.get(index) : StixJson.compact(object)));
                }
            }
        }
        catch (VigieException e) {
            return new Prepared(List.of(), Optional.of(e));
        }
        return new Prepared(objects, Optional.empty());
    }

    private static boolean isRecall(Envelope envelope)
    {
        for (JsonNode object : envelope.bundle().path("objects").values()) {
            if (DefaultExchangeService.RECALL_TYPE.equals(object.path("type").asString(""))) {
                return true;
            }
        }
        return false;
    }

    /** Stores and commits the group (if any), adding its answers; false if it was not stored. */
    private boolean flush(List<Verified> group, Partner peer, List<Answer> answers)
    {
        if (group.isEmpty()) {
            return true;
        }
        List<Answer> stored = store(List.copyOf(group), peer);
        committed.accept(System.nanoTime());
        group.clear();
        sequences.clear();
        answers.addAll(stored);
        return stored.stream().allMatch(answer -> answer.receipt().status() == ReceiptStatus.STORED);
    }

    /** The signed receipt given for an envelope this partner sent. */
    Optional<String> receipt(String envelopeId, Partner peer)
    {
        return database.read("read the receipt of " + envelopeId, connection -> ExchangeTables.inboxReceipt(connection, envelopeId))
                .filter(stored -> stored.partnerId().equals(peer.id()))
                .map(ExchangeTables.StoredReceipt::signed);
    }

    /** A partner's pull: one page of a collection, filtered by the release policy for that partner, and audited. */
    PulledPage pull(Partner peer, String collectionId, Optional<Instant> addedAfter, int limit, Optional<String> next)
    {
        ObjectQuery query = ObjectQuery.all(limit);
        if (addedAfter.isPresent()) {
            query = query.withAddedAfter(addedAfter.get());
        }
        if (next.isPresent()) {
            query = query.withNext(next.get());
        }
        ObjectPage page = store.findObjects(collectionId, query);
        List<ReleaseItem> items = new ArrayList<>();
        for (StoredObject stored : page.objects()) {
            items.add(ReleaseItem.of(stored.object().tree(), collectionId));
        }
        ReleasePlan plan = planner.get().plan(items, peer);
        database.inTransaction("audit a read by partner " + peer.id(), connection -> {
            ledger.append(AuditRecords.partnerRead("partner:" + peer.id(), plan));
            // The partner now holds what it pulled: a later recall or narrowing reaches it too.
            PartnerHoldings.recordRead(connection, peer.id(), plan.releasedObjectIds(), clock.instant());
            return null;
        });
        return new PulledPage(plan, page);
    }

    record PulledPage(ReleasePlan plan, ObjectPage page) {}

    private Answer rejected(VerificationResult.Rejected rejected, String jws, Partner peer)
    {
        if (rejected.reason() == RejectionReason.REPLAYED && rejected.envelopeId().isPresent()) {
            Optional<ExchangeTables.StoredReceipt> stored = database.read("read the receipt of " + rejected.envelopeId().get(),
                    connection -> ExchangeTables.inboxReceipt(connection, rejected.envelopeId().get()));
            // The very same envelope again (its first receipt was lost): same answer, nothing stored twice.
            if (stored.isPresent() && stored.get().partnerId().equals(peer.id()) && stored.get().envelopeSha256().equals(sha256(jws))) {
                return new Answer(stored.get().receipt(), stored.get().signed());
            }
        }
        database.inTransaction("audit a rejected envelope", connection -> ledger.append(AuditRecords.rejection(rejected, Optional.of(peer.id()))));
        // The sequence of a rejected envelope is not vouched for, so the receipt does not repeat it.
        return answer(new Receipt(local.identityId(), peer.identityId(), rejected.envelopeId(), OptionalLong.empty(), ReceiptStatus.REJECTED, Optional.of(rejected.reason()),
                rejected.detail(), rejected.expectedSequence(), List.of(), List.of()));
    }

    private Answer answer(Receipt receipt)
    {
        return new Answer(receipt, signature.sign(receipt));
    }

    /** One store call for the objects of every envelope of the group, then one transaction for their sequences, provenance, receipts and ledger entries. */
    private List<Answer> store(List<Verified> group, Partner peer)
    {
        Instant now = clock.instant();
        List<StixObject> objects = new ArrayList<>();
        // Per envelope: the trees of its objects, and the objects it recalls.
        List<List<JsonNode>> trees = new ArrayList<>();
        List<List<String>> recallRequests = new ArrayList<>();
        for (Verified verified : group) {
            List<JsonNode> released = new ArrayList<>();
            List<String> recalls = new ArrayList<>();
            for (JsonNode object : verified.envelope().bundle().path("objects").values()) {
                if (DefaultExchangeService.RECALL_TYPE.equals(object.path("type").asString(""))) {
                    for (JsonNode reference : object.path("object_refs").values()) {
                        recalls.add(reference.asString(""));
                    }
                    continue;
                }
                released.add(object);
            }
            trees.add(released);
            recallRequests.add(recalls);
        }
        List<List<String>> recalled = new ArrayList<>();
        List<List<String>> notRecalled = new ArrayList<>();
        try {
            for (Verified verified : group) {
                if (verified.prepared().failure().isPresent()) {
                    throw verified.prepared().failure().get();
                }
                objects.addAll(verified.prepared().objects());
            }
            if (!objects.isEmpty()) {
                List<ReceivedObject> provenance = provenance(group, trees, objects, peer, now);
                // Committed before the objects reach the store, in a transaction of its own: once an object is readable,
                // its origin is known to every egress (re-release rule 3), with no window in which a received object
                // looks locally made. Provenance of objects the store then fails to take is a true record of what the
                // partner sent and only restricts more; the sender's retry finds the rows and keeps them (first origin stays).
                database.inTransaction("record the provenance of " + provenance.size() + " object(s) from partner " + peer.id(), connection -> {
                    ExchangeTables.recordReceived(connection, provenance);
                    return null;
                });
                ensureCollection();
                store.addObjects(config.inboxCollection(), objects);
            }
            for (List<String> recalls : recallRequests) {
                List<String> applied = new ArrayList<>();
                List<String> ignored = new ArrayList<>();
                for (String objectId : recalls) {
                    List<ReceivedObject> received = database.read("read the provenance of " + objectId, connection -> ExchangeTables.received(connection, objectId));
                    // Only the partner an object came from may recall it here.
                    if (received.stream().anyMatch(row -> row.partnerId().equals(peer.id()))) {
                        ensureCollection();
                        store.deleteObject(config.inboxCollection(), objectId, VersionFilter.ALL, List.of());
                        applied.add(objectId);
                    }
                    else {
                        ignored.add(objectId);
                    }
                }
                recalled.add(applied);
                notRecalled.add(ignored);
            }
        }
        catch (VigieException e) {
            return group.stream().map(verified -> answer(new Receipt(local.identityId(), peer.identityId(), Optional.of(verified.envelope().id()),
                    OptionalLong.of(verified.envelope().sequence()), ReceiptStatus.VERIFIED, Optional.empty(),
                    "verified, but storing in collection " + config.inboxCollection() + " failed: " + e.getMessage(), OptionalLong.empty(), List.of(), List.of()))).toList();
        }
        return database.inTransaction("commit " + group.size() + " envelope(s) from partner " + peer.id(), connection -> {
            List<Answer> answers = new ArrayList<>();
            int first = 0;
            for (int position = 0; position < group.size(); position++) {
                Envelope envelope = group.get(position).envelope();
                List<JsonNode> released = trees.get(position);
                List<StixObject> stored = objects.subList(first, first + released.size());
                first += released.size();
                if (!verifier.commit(envelope)) {
                    throw new VigieException(ErrorCode.INVALID_ENVELOPE, "envelope " + envelope.id() + " from partner " + peer.id() + ": sequence " + envelope.sequence()
                            + " was committed concurrently");
                }
                List<String> requests = recallRequests.get(position);
                List<String> applied = recalled.get(position);
                List<String> ignored = notRecalled.get(position);
                for (String objectId : applied) {
                    ExchangeTables.markRecalled(connection, objectId, peer.id(), now);
                }
                String detail = "stored " + stored.size() + " object(s) in collection " + config.inboxCollection()
                        + (requests.isEmpty() ? "" : "; recalled " + applied + (ignored.isEmpty() ? "" : ", ignored " + ignored + " (not received from partner " + peer.id() + ")"));
                Answer answer = answer(new Receipt(local.identityId(), peer.identityId(), Optional.of(envelope.id()), OptionalLong.of(envelope.sequence()), ReceiptStatus.STORED,
                        Optional.empty(), detail, OptionalLong.empty(), stored.stream().map(StixObject::id).distinct().toList(), applied));
                ExchangeTables.saveInboxReceipt(connection, envelope.id(), peer.id(), envelope.sequence(), sha256(group.get(position).jws()), answer.signed(), now);
                ledger.append(AuditRecords.receipt(envelope, peer.id()));
                if (!requests.isEmpty()) {
                    ledger.append(new AuditRecord(AuditKind.RECALL, "partner:" + peer.id(), Optional.of(peer.id()), requests, List.of(), Optional.of(envelope.id()),
                            "recall from partner " + peer.id() + " applied to " + applied + (ignored.isEmpty() ? "" : "; ignored " + ignored + ", not received from it")));
                }
                answers.add(answer);
            }
            return answers;
        });
    }

    /** Where each object of the group came from, in the order of {@code objects}: the partner, its envelope, handling and markings. */
    private static List<ReceivedObject> provenance(List<Verified> group, List<List<JsonNode>> trees, List<StixObject> objects, Partner peer, Instant now)
    {
        List<ReceivedObject> provenance = new ArrayList<>(objects.size());
        for (int position = 0; position < group.size(); position++) {
            Envelope envelope = group.get(position).envelope();
            for (JsonNode tree : trees.get(position)) {
                List<String> markingIds = new ArrayList<>();
                tree.path("object_marking_refs").values().forEach(reference -> markingIds.add(reference.asString("")));
                for (JsonNode granular : tree.path("granular_markings").values()) {
                    markingIds.add(granular.path("marking_ref").asString(""));
                }
                String version = tree.has("modified") ? tree.path("modified").asString("") : tree.path("created").asString("");
                StixObject object = objects.get(provenance.size());
                provenance.add(new ReceivedObject(object.id(), version, peer.id(), envelope.id(), envelope.handling(), markingIds, now, Optional.empty()));
            }
        }
        return provenance;
    }

    private void ensureCollection()
    {
        if (collectionReady) {
            return;
        }
        if (store.findCollection(config.inboxCollection()).isEmpty()) {
            try {
                store.createCollection(CollectionInfo.of(config.inboxCollection(), "Objects received from partners"));
            }
            catch (VigieException e) {
                if (e.errorCode() != ErrorCode.COLLECTION_EXISTS) {
                    throw e;
                }
            }
        }
        collectionReady = true;
    }

    private static String sha256(String jws)
    {
        return java.util.HexFormat.of().formatHex(CanonicalJson.sha256(jws.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The committed sequences, seen through the envelopes verified in this request but not committed
     * yet, so that the next envelope of a batch is checked against the one before it. Only used under
     * the inbox lock; advancing still goes to the table, compare-and-set.
     */
    private static final class PendingSequences
            implements SequenceTracker
    {
        private final SequenceTracker committed;
        private final Map<String, Long> pending = new HashMap<>();

        PendingSequences(SequenceTracker committed)
        {
            this.committed = requireNonNull(committed, "committed is null");
        }

        void pending(Envelope envelope)
        {
            pending.put(key(envelope.sender(), envelope.recipient()), envelope.sequence());
        }

        void clear()
        {
            pending.clear();
        }

        @Override
        public long lastAccepted(String senderIdentityId, String recipientIdentityId)
        {
            Long last = pending.get(key(senderIdentityId, recipientIdentityId));
            return last != null ? last : committed.lastAccepted(senderIdentityId, recipientIdentityId);
        }

        @Override
        public boolean advance(String senderIdentityId, String recipientIdentityId, long sequence)
        {
            return committed.advance(senderIdentityId, recipientIdentityId, sequence);
        }

        private static String key(String senderIdentityId, String recipientIdentityId)
        {
            return senderIdentityId + " " + recipientIdentityId;
        }
    }
}
