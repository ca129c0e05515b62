package org.vigie.exchange.service;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.audit.AuditKind;
import org.vigie.exchange.audit.AuditLedger;
import org.vigie.exchange.audit.AuditRecord;
import org.vigie.exchange.audit.AuditRecords;
import org.vigie.exchange.canonical.CanonicalJson;
import org.vigie.exchange.database.ExchangeDatabase;
import org.vigie.exchange.envelope.Envelope;
import org.vigie.exchange.envelope.EnvelopeVerifier;
import org.vigie.exchange.envelope.RejectionReason;
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
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The receiving side: authenticates the partner by its pinned certificate, verifies the envelope,
 * stores its objects in the inbound collection with their provenance, applies recalls, commits the
 * sequence, audits, and answers a receipt. Envelopes are processed one at a time, so a duplicate
 * sent concurrently finds the first one's receipt.
 *
 * <p>The objects are added to the store before the exchange transaction (sequence, provenance,
 * receipt, ledger) commits; if the node stops in between, the sender's retry stores them again as
 * duplicates (the store is idempotent per id and version) and commits then.
 */
final class Inbox
{
    private final ExchangeConfig config;
    private final ExchangeDatabase database;
    private final ObjectStore store;
    private final PartnerRegistry registry;
    private final AuditLedger ledger;
    private final EnvelopeVerifier verifier;
    private final InstantSource clock;
    private final Supplier<ReleasePlanner> planner;
    private final Object lock = new Object();
    private volatile boolean collectionReady;

    Inbox(ExchangeConfig config, ExchangeDatabase database, ObjectStore store, PartnerRegistry registry, AuditLedger ledger, EnvelopeVerifier verifier,
            InstantSource clock, Supplier<ReleasePlanner> planner)
    {
        this.config = requireNonNull(config, "config is null");
        this.database = requireNonNull(database, "database is null");
        this.store = requireNonNull(store, "store is null");
        this.registry = requireNonNull(registry, "registry is null");
        this.ledger = requireNonNull(ledger, "ledger is null");
        this.verifier = requireNonNull(verifier, "verifier is null");
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
        for (Partner partner : registry.partners()) {
            if (partner.certificateSha256().equals(fingerprint)) {
                return partner;
            }
        }
        String detail = where + ": client certificate '" + certificate.get().getSubjectX500Principal().getName() + "' (sha256 " + fingerprint + ") is not pinned for any partner";
        database.inTransaction("audit an unknown client certificate", connection -> ledger.append(
                new AuditRecord(AuditKind.REJECTION, "unknown", Optional.empty(), List.of(), List.of(), Optional.empty(), detail)));
        throw new VigieException(ErrorCode.AUTHENTICATION_REQUIRED, detail);
    }

    Receipt receive(String jws, Partner peer)
    {
        synchronized (lock) {
            VerificationResult result = verifier.verify(jws, Optional.of(peer));
            if (result instanceof VerificationResult.Accepted accepted) {
                return store(accepted.envelope(), jws, peer);
            }
            return rejected((VerificationResult.Rejected) result, jws, peer);
        }
    }

    Optional<Receipt> receipt(String envelopeId, Partner peer)
    {
        return database.read("read the receipt of " + envelopeId, connection -> ExchangeTables.inboxReceipt(connection, envelopeId))
                .filter(stored -> stored.partnerId().equals(peer.id()))
                .map(ExchangeTables.StoredReceipt::receipt);
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
        database.inTransaction("audit a read by partner " + peer.id(), connection -> ledger.append(AuditRecords.partnerRead("partner:" + peer.id(), plan)));
        return new PulledPage(plan, page);
    }

    record PulledPage(ReleasePlan plan, ObjectPage page) {}

    private Receipt rejected(VerificationResult.Rejected rejected, String jws, Partner peer)
    {
        if (rejected.reason() == RejectionReason.REPLAYED && rejected.envelopeId().isPresent()) {
            Optional<ExchangeTables.StoredReceipt> stored = database.read("read the receipt of " + rejected.envelopeId().get(),
                    connection -> ExchangeTables.inboxReceipt(connection, rejected.envelopeId().get()));
            // The very same envelope again (its first receipt was lost): same answer, nothing stored twice.
            if (stored.isPresent() && stored.get().partnerId().equals(peer.id()) && stored.get().envelopeSha256().equals(sha256(jws))) {
                return stored.get().receipt();
            }
        }
        database.inTransaction("audit a rejected envelope", connection -> ledger.append(AuditRecords.rejection(rejected, Optional.of(peer.id()))));
        // The sequence of a rejected envelope is not vouched for, so the receipt does not repeat it.
        return new Receipt(rejected.envelopeId(), OptionalLong.empty(), ReceiptStatus.REJECTED, Optional.of(rejected.reason()), rejected.detail(), rejected.expectedSequence(), List.of(), List.of());
    }

    private Receipt store(Envelope envelope, String jws, Partner peer)
    {
        Instant now = clock.instant();
        List<StixObject> objects = new ArrayList<>();
        List<JsonNode> trees = new ArrayList<>();
        List<String> recallRequests = new ArrayList<>();
        for (JsonNode object : envelope.bundle().path("objects").values()) {
            if (DefaultExchangeService.RECALL_TYPE.equals(object.path("type").asString(""))) {
                for (JsonNode reference : object.path("object_refs").values()) {
                    recallRequests.add(reference.asString(""));
                }
                continue;
            }
            trees.add(object);
        }
        List<String> recalled = new ArrayList<>();
        List<String> notRecalled = new ArrayList<>();
        try {
            for (JsonNode object : trees) {
                objects.add(StixObject.fromTree(object, StixJson.compact(object)));
            }
            if (!objects.isEmpty()) {
                ensureCollection();
                store.addObjects(config.inboxCollection(), objects);
            }
            for (String objectId : recallRequests) {
                List<ReceivedObject> received = database.read("read the provenance of " + objectId, connection -> ExchangeTables.received(connection, objectId));
                // Only the partner an object came from may recall it here.
                if (received.stream().anyMatch(row -> row.partnerId().equals(peer.id()))) {
                    ensureCollection();
                    store.deleteObject(config.inboxCollection(), objectId, VersionFilter.ALL, List.of());
                    recalled.add(objectId);
                }
                else {
                    notRecalled.add(objectId);
                }
            }
        }
        catch (VigieException e) {
            return new Receipt(Optional.of(envelope.id()), OptionalLong.of(envelope.sequence()), ReceiptStatus.VERIFIED, Optional.empty(),
                    "verified, but storing in collection " + config.inboxCollection() + " failed: " + e.getMessage(), OptionalLong.empty(), List.of(), List.of());
        }
        List<String> storedIds = objects.stream().map(StixObject::id).distinct().toList();
        String detail = "stored " + objects.size() + " object(s) in collection " + config.inboxCollection()
                + (recallRequests.isEmpty() ? "" : "; recalled " + recalled + (notRecalled.isEmpty() ? "" : ", ignored " + notRecalled + " (not received from partner " + peer.id() + ")"));
        Receipt receipt = new Receipt(Optional.of(envelope.id()), OptionalLong.of(envelope.sequence()), ReceiptStatus.STORED, Optional.empty(), detail, OptionalLong.empty(),
                storedIds, recalled);
        return database.inTransaction("commit envelope " + envelope.id() + " from partner " + peer.id(), connection -> {
            if (!verifier.commit(envelope)) {
                throw new VigieException(ErrorCode.INVALID_ENVELOPE, "envelope " + envelope.id() + " from partner " + peer.id() + ": sequence " + envelope.sequence()
                        + " was committed concurrently");
            }
            List<String> markingIds = new ArrayList<>();
            for (int index = 0; index < objects.size(); index++) {
                StixObject object = objects.get(index);
                JsonNode tree = trees.get(index);
                markingIds.clear();
                tree.path("object_marking_refs").values().forEach(reference -> markingIds.add(reference.asString("")));
                for (JsonNode granular : tree.path("granular_markings").values()) {
                    markingIds.add(granular.path("marking_ref").asString(""));
                }
                String version = tree.has("modified") ? tree.path("modified").asString("") : tree.path("created").asString("");
                ExchangeTables.recordReceived(connection, new ReceivedObject(object.id(), version, peer.id(), envelope.id(), envelope.handling(), markingIds, now, Optional.empty()));
            }
            for (String objectId : recalled) {
                ExchangeTables.markRecalled(connection, objectId, peer.id(), now);
            }
            ExchangeTables.saveInboxReceipt(connection, envelope.id(), peer.id(), envelope.sequence(), sha256(jws), receipt, now);
            ledger.append(AuditRecords.receipt(envelope, peer.id()));
            if (!recallRequests.isEmpty()) {
                ledger.append(new AuditRecord(AuditKind.RECALL, "partner:" + peer.id(), Optional.of(peer.id()), recallRequests, List.of(), Optional.of(envelope.id()),
                        "recall from partner " + peer.id() + " applied to " + recalled + (notRecalled.isEmpty() ? "" : "; ignored " + notRecalled + ", not received from it")));
            }
            return receipt;
        });
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
}
