package org.vigie.exchange.service;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.audit.AuditKind;
import org.vigie.exchange.audit.AuditLedger;
import org.vigie.exchange.audit.AuditRecord;
import org.vigie.exchange.audit.AuditRecords;
import org.vigie.exchange.database.DeliveryLeases;
import org.vigie.exchange.database.ExchangeDatabase;
import org.vigie.exchange.envelope.Envelope;
import org.vigie.exchange.envelope.EnvelopeSigner;
import org.vigie.exchange.envelope.EnvelopeVerifier;
import org.vigie.exchange.envelope.SequenceTracker;
import org.vigie.exchange.marking.MarkingResolver;
import org.vigie.exchange.partner.Partner;
import org.vigie.exchange.partner.PartnerRegistry;
import org.vigie.exchange.policy.DecisionReason;
import org.vigie.exchange.policy.ReleaseDecider;
import org.vigie.exchange.policy.ReleaseDecision;
import org.vigie.exchange.policy.ReleaseItem;
import org.vigie.exchange.policy.ReleasePlan;
import org.vigie.exchange.policy.ReleasePlanner;
import org.vigie.stix.Timestamps;
import org.vigie.store.ObjectPage;
import org.vigie.store.ObjectQuery;
import org.vigie.store.ObjectStore;
import org.vigie.store.StoredObject;
import org.vigie.taxii.server.RouteContributor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

final class DefaultExchangeService
        implements ExchangeService
{
    /** STIX custom object type that carries a recall inside an envelope's bundle. */
    static final String RECALL_TYPE = "x-vigie-recall";
    private static final String JWS_MEDIA_TYPE = "application/jose";
    private static final int STORE_PAGE = 1_000;

    private final ExchangeConfig config;
    private final LocalNode local;
    private final ExchangeDatabase database;
    private final ObjectStore store;
    private final PartnerRegistry registry;
    private final AuditLedger ledger;
    private final Supplier<ReleaseDecider> decider;
    private final InstantSource clock;
    private final Random random;
    private final EnvelopeSigner signer;
    private final MarkingResolver resolver;
    private final PartnerTransport transport;
    private final Inbox inbox;
    private final Object deliveryLock = new Object();
    private final DeliveryLeases leases;

    DefaultExchangeService(ExchangeConfig config, LocalNode local, ExchangeDatabase database, ObjectStore store, PartnerRegistry registry,
            AuditLedger ledger, Supplier<ReleaseDecider> decider, InstantSource clock, Random random, DeliveryLeases leases)
    {
        this.leases = requireNonNull(leases, "leases is null");
        this.config = requireNonNull(config, "config is null");
        this.local = requireNonNull(local, "local is null");
        this.database = requireNonNull(database, "database is null");
        this.store = requireNonNull(store, "store is null");
        this.registry = requireNonNull(registry, "registry is null");
        this.ledger = requireNonNull(ledger, "ledger is null");
        this.decider = requireNonNull(decider, "decider is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.random = requireNonNull(random, "random is null");
        this.signer = EnvelopeSigner.ed25519(local.signingKey(), local.identityId());
        ExchangeTables.create(database);
        this.resolver = new StoreMarkingResolver(store, database);
        this.transport = new PartnerTransport(config);
        EnvelopeVerifier verifier = EnvelopeVerifier.create(registry, local.identityId(), SequenceTracker.jdbc(database));
        this.inbox = new Inbox(config, database, store, registry, ledger, verifier, clock, this::planner);
    }

    @Override
    public ReleaseResult release(List<ReleaseItem> items, ReleaseTargets targets, String actor)
    {
        requireNonNull(items, "items is null");
        requireNonNull(targets, "targets is null");
        requireNonNull(actor, "actor is null");
        TreeMap<String, Partner> targeted = new TreeMap<>();
        for (String partnerId : targets.partnerIds()) {
            targeted.put(partnerId, registry.requirePartner(partnerId));
        }
        for (String groupId : targets.groupIds()) {
            for (Partner member : registry.members(groupId)) {
                targeted.put(member.id(), member);
            }
        }
        // Partners holding an earlier version of an offered object are planned too: if the new
        // version is withheld from them (narrowed markings, revocation by policy), they get a recall.
        Set<String> offeredIds = new TreeSet<>();
        items.forEach(item -> offeredIds.add(item.id()));
        TreeMap<String, Set<String>> heldByPartner = database.read("find partners holding the offered objects", connection -> {
            TreeMap<String, Set<String>> held = new TreeMap<>();
            for (String objectId : offeredIds) {
                for (String partnerId : ExchangeTables.holders(connection, objectId)) {
                    held.computeIfAbsent(partnerId, key -> new TreeSet<>()).add(objectId);
                }
            }
            return held;
        });
        TreeMap<String, Partner> planned = new TreeMap<>(targeted);
        for (String partnerId : heldByPartner.keySet()) {
            registry.partner(partnerId).ifPresent(partner -> planned.putIfAbsent(partnerId, partner));
        }
        List<Partner> recipients = List.copyOf(planned.values());
        List<ReleasePlan> plans = recipients.isEmpty() ? List.of() : planner(items).plan(items, recipients);
        return database.inTransaction("release to " + planned.keySet(), connection -> {
            Instant now = clock.instant();
            List<PartnerRelease> results = new ArrayList<>();
            for (int index = 0; index < recipients.size(); index++) {
                Partner partner = recipients.get(index);
                ReleasePlan plan = plans.get(index);
                Optional<Envelope> envelope = Optional.empty();
                if (targeted.containsKey(partner.id()) && !plan.isEmpty()) {
                    envelope = Optional.of(queueRelease(connection, partner, plan, plan.objects(), plan.releasedObjectIds(), actor, now));
                }
                List<String> toRecall = new ArrayList<>();
                for (ReleaseDecision decision : plan.withheld()) {
                    // A relationship withheld because its target was not offered this time says nothing about the object itself.
                    if (decision.reason() != DecisionReason.REQUIRED_REFERENCE_WITHHELD
                            && heldByPartner.getOrDefault(partner.id(), Set.of()).contains(decision.objectId())
                            && !toRecall.contains(decision.objectId())) {
                        toRecall.add(decision.objectId());
                    }
                }
                Optional<String> recallEnvelopeId = Optional.empty();
                if (!toRecall.isEmpty()) {
                    String reason = "a new version is withheld from partner " + partner.id() + ": " + explain(plan, toRecall);
                    recallEnvelopeId = Optional.of(queueRecall(connection, partner, toRecall, reason, actor, now).id());
                }
                results.add(new PartnerRelease(partner.id(), envelope.map(Envelope::id), envelope.map(value -> OptionalLong.of(value.sequence())).orElse(OptionalLong.empty()),
                        plan.decisions(), plan.withheldReferences(), recallEnvelopeId));
            }
            return new ReleaseResult(results);
        });
    }

    @Override
    public ReleaseResult releaseCollection(String collectionId, ReleaseTargets targets, String actor)
    {
        List<ReleaseItem> items = new ArrayList<>();
        ObjectQuery query = ObjectQuery.all(STORE_PAGE);
        while (true) {
            ObjectPage page = store.findObjects(collectionId, query);
            for (StoredObject stored : page.objects()) {
                items.add(ReleaseItem.of(stored.object().tree(), collectionId));
            }
            if (!page.more() || page.next().isEmpty()) {
                break;
            }
            query = query.withNext(page.next().get());
        }
        return release(items, targets, actor);
    }

    @Override
    public ReleasePlan preview(String partnerId, List<ReleaseItem> items)
    {
        return planner(items).plan(items, registry.requirePartner(partnerId));
    }

    @Override
    public List<String> recall(String objectId, String reason, String actor)
    {
        requireNonNull(objectId, "objectId is null");
        requireNonNull(reason, "reason is null");
        requireNonNull(actor, "actor is null");
        return database.inTransaction("recall " + objectId, connection -> {
            Instant now = clock.instant();
            List<String> partnerIds = ExchangeTables.holders(connection, objectId);
            for (String partnerId : partnerIds) {
                Partner partner = registry.partner(partnerId).orElseThrow(() -> new VigieException(ErrorCode.PARTNER_NOT_FOUND,
                        "cannot recall " + objectId + " from partner '" + partnerId + "': the partner received it but is no longer registered"));
                queueRecall(connection, partner, List.of(objectId), reason, actor, now);
            }
            return partnerIds;
        });
    }

    @Override
    public List<Acknowledgement> recallStatus(String objectId)
    {
        return database.read("read the recalls of " + objectId, connection -> ExchangeTables.entriesWithObject(connection, objectId, EnvelopeKind.RECALL).stream()
                .map(entry -> new Acknowledgement(entry.partnerId(), entry.envelopeId(), entry.state(), entry.lastError()))
                .toList());
    }

    @Override
    public ReleaseResult sightingBack(JsonNode sighting, String actor)
    {
        requireNonNull(sighting, "sighting is null");
        String sightingId = sighting.path("id").asString("");
        if (!"sighting".equals(sighting.path("type").asString(""))) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "cannot send " + sightingId + " back as a sighting: its type is not 'sighting'");
        }
        String sightedId = sighting.path("sighting_of_ref").asString("");
        List<ReceivedObject> received = provenance(sightedId);
        if (received.isEmpty()) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "sighting " + sightingId + ": " + sightedId + " was not received from a partner, so there is no originator to tell");
        }
        Partner origin = registry.requirePartner(received.get(0).partnerId());
        ObjectPage page = store.findObjects(config.inboxCollection(), ObjectQuery.all(1).withIds(List.of(sightedId)));
        if (page.objects().isEmpty()) {
            throw new VigieException(ErrorCode.OBJECT_NOT_FOUND, "sighting " + sightingId + ": " + sightedId + " is no longer in collection " + config.inboxCollection());
        }
        // The sighted object is offered so that the required sighting_of_ref survives planning; the
        // originator has it already, so only the sighting travels.
        List<ReleaseItem> items = List.of(new ReleaseItem(sighting, Optional.empty()), ReleaseItem.of(page.objects().get(0).object().tree(), config.inboxCollection()));
        ReleasePlan plan = planner(items).plan(items, origin);
        boolean released = plan.decisions().stream().anyMatch(decision -> decision.objectId().equals(sightingId) && decision.released());
        return database.inTransaction("send sighting " + sightingId + " to partner " + origin.id(), connection -> {
            Optional<Envelope> envelope = Optional.empty();
            if (released) {
                List<JsonNode> objects = plan.objects().stream().filter(object -> !object.path("id").asString("").equals(sightedId)).toList();
                List<String> objectIds = plan.releasedObjectIds().stream().filter(id -> !id.equals(sightedId)).toList();
                envelope = Optional.of(queueRelease(connection, origin, plan, objects, objectIds, actor, clock.instant()));
            }
            return new ReleaseResult(List.of(new PartnerRelease(origin.id(), envelope.map(Envelope::id),
                    envelope.map(value -> OptionalLong.of(value.sequence())).orElse(OptionalLong.empty()), plan.decisions(), plan.withheldReferences(), Optional.empty())));
        });
    }

    @Override
    public DeliveryReport deliverDue()
    {
        synchronized (deliveryLock) {
            Instant now = clock.instant();
            int attempted = 0;
            int stored = 0;
            int failed = 0;
            List<String> waiting = new ArrayList<>();
            for (String partnerId : database.read("list partners with undelivered envelopes", ExchangeTables::partnersWithUndelivered)) {
                Optional<Partner> partner = registry.partner(partnerId);
                if (partner.isEmpty()) {
                    waiting.add(partnerId);
                    continue;
                }
                // Replicas on one database: another one is delivering this partner's outbox.
                if (!leases.acquire(partnerId)) {
                    continue;
                }
                try {
                    for (int count = 0; count < config.batchSize() && leases.acquire(partnerId); count++) {
                        Optional<ExchangeTables.Pending> pending = database.read("read the outbox of " + partnerId, connection -> ExchangeTables.oldestUndelivered(connection, partnerId));
                        if (pending.isEmpty()) {
                            break;
                        }
                        OutboxEntry entry = pending.get().entry();
                        // Order guarantee: the partner's outbox waits behind its oldest undelivered envelope.
                        if (entry.nextAttempt().isAfter(now)) {
                            waiting.add(partnerId);
                            break;
                        }
                        attempted++;
                        Attempt attempt = push(partner.get(), entry, pending.get().jws());
                        Instant next = attempt.state() == OutboxState.STORED ? now : now.plus(backoff(entry.attempts() + 1));
                        database.inTransaction("record delivery of " + entry.envelopeId(),
                                connection -> {
                                    ExchangeTables.recordAttempt(connection, entry, attempt.state(), attempt.error(), attempt.receipt(), next);
                                    return null;
                                });
                        if (attempt.state() != OutboxState.STORED) {
                            failed++;
                            waiting.add(partnerId);
                            break;
                        }
                        stored++;
                    }
                }
                finally {
                    leases.release(partnerId);
                }
            }
            return new DeliveryReport(attempted, stored, failed, waiting);
        }
    }

    @Override
    public List<OutboxEntry> outbox(String partnerId)
    {
        return database.read("read the outbox of " + partnerId, connection -> ExchangeTables.outbox(connection, partnerId));
    }

    @Override
    public List<ReceivedObject> provenance(String objectId)
    {
        return database.read("read the provenance of " + objectId, connection -> ExchangeTables.received(connection, objectId));
    }

    @Override
    public MarkingResolver markingResolver()
    {
        return resolver;
    }

    @Override
    public RouteContributor routes()
    {
        return new InboxRoutes(inbox);
    }

    @Override
    public void close()
    {
        transport.close();
    }

    private ReleasePlanner planner()
    {
        return ReleasePlanner.create(decider.get(), registry, resolver, clock);
    }

    /** A planner that also resolves the marking-definitions offered alongside the objects (the planner's resolver sees only the store). */
    private ReleasePlanner planner(List<ReleaseItem> items)
    {
        java.util.Map<String, JsonNode> offered = new java.util.HashMap<>();
        for (ReleaseItem item : items) {
            if ("marking-definition".equals(item.object().path("type").asString(""))) {
                offered.put(item.id(), item.object());
            }
        }
        if (offered.isEmpty()) {
            return planner();
        }
        MarkingResolver withOffered = new MarkingResolver()
        {
            @Override
            public Optional<JsonNode> markingDefinition(String markingId)
            {
                JsonNode definition = offered.get(markingId);
                return definition != null ? Optional.of(definition) : resolver.markingDefinition(markingId);
            }

            @Override
            public Optional<String> originPartner(String objectId)
            {
                return resolver.originPartner(objectId);
            }
        };
        return ReleasePlanner.create(decider.get(), registry, withOffered, clock);
    }

    private record Attempt(OutboxState state, Optional<String> error, Optional<Receipt> receipt) {}

    private Attempt push(Partner partner, OutboxEntry entry, String jws)
    {
        PartnerTransport.Response response;
        try {
            response = transport.post(partner, PartnerTransport.inboxUri(partner), JWS_MEDIA_TYPE, jws);
        }
        catch (IOException e) {
            return new Attempt(OutboxState.PENDING, Optional.of("cannot reach partner " + partner.id() + " at " + PartnerTransport.inboxUri(partner) + ": " + describe(e)), Optional.empty());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt(OutboxState.PENDING, Optional.of("delivery to partner " + partner.id() + " was interrupted"), Optional.empty());
        }
        catch (VigieException e) {
            return new Attempt(OutboxState.PENDING, Optional.of(e.getMessage()), Optional.empty());
        }
        Receipt receipt;
        try {
            receipt = Receipt.fromJson(response.body());
        }
        catch (VigieException e) {
            return new Attempt(OutboxState.DELIVERED, Optional.of("partner " + partner.id() + " answered HTTP " + response.status() + " without a receipt: " + e.getMessage()), Optional.empty());
        }
        if (receipt.envelopeId().isPresent() && !receipt.envelopeId().get().equals(entry.envelopeId())) {
            return new Attempt(OutboxState.DELIVERED, Optional.of("partner " + partner.id() + " answered with a receipt for another envelope, " + receipt.envelopeId().get()), Optional.of(receipt));
        }
        return switch (receipt.status()) {
            case STORED -> new Attempt(OutboxState.STORED, Optional.empty(), Optional.of(receipt));
            case VERIFIED -> new Attempt(OutboxState.VERIFIED, Optional.of("partner " + partner.id() + " verified but could not store: " + receipt.detail()), Optional.of(receipt));
            case REJECTED -> new Attempt(OutboxState.REJECTED, Optional.of("partner " + partner.id() + " rejected the envelope: " + receipt.rejection().orElseThrow() + ": " + receipt.detail()),
                    Optional.of(receipt));
        };
    }

    private static String describe(IOException e)
    {
        String message = e.getMessage();
        Throwable cause = e.getCause();
        while ((message == null || message.isEmpty()) && cause != null) {
            message = cause.getMessage();
            cause = cause.getCause();
        }
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** Exponential backoff with "equal jitter": half the delay is fixed, half is random, so retries of many partners spread out. */
    Duration backoff(int attempts)
    {
        long initial = config.retryInitial().toMillis();
        long max = config.retryMax().toMillis();
        long delay = initial;
        for (int step = 1; step < attempts && delay < max; step++) {
            delay *= 2;
        }
        delay = Math.min(delay, max);
        long half = delay / 2;
        return Duration.ofMillis(delay - half + random.nextLong(half + 1));
    }

    private Envelope queueRelease(Connection connection, Partner partner, ReleasePlan plan, List<JsonNode> objects, List<String> objectIds, String actor, Instant now)
            throws SQLException
    {
        long sequence = ExchangeTables.nextSequence(connection, partner.id());
        ReleasePlan sent = new ReleasePlan(plan.partnerId(), objects, plan.decisions(), plan.withheldReferences(), plan.handling());
        Envelope envelope = Envelope.of("envelope--" + UUID.randomUUID(), local.identityId(), partner.identityId(), sequence, now, sent, "bundle--" + UUID.randomUUID());
        String jws = signer.sign(envelope);
        ExchangeTables.enqueue(connection, partner.id(), sequence, envelope.id(), EnvelopeKind.RELEASE, objectIds, jws, now);
        ledger.append(AuditRecords.release(actor, plan, Optional.of(envelope)));
        return envelope;
    }

    private Envelope queueRecall(Connection connection, Partner partner, List<String> objectIds, String reason, String actor, Instant now)
            throws SQLException
    {
        long sequence = ExchangeTables.nextSequence(connection, partner.id());
        ObjectNode recall = JsonNodeFactory.instance.objectNode();
        recall.put("type", RECALL_TYPE);
        recall.put("spec_version", "2.1");
        recall.put("id", RECALL_TYPE + "--" + UUID.randomUUID());
        recall.put("created", Timestamps.format(now));
        recall.put("modified", Timestamps.format(now));
        ArrayNode references = recall.putArray("object_refs");
        new LinkedHashSet<>(objectIds).forEach(references::add);
        recall.put("reason", reason);
        ObjectNode bundle = JsonNodeFactory.instance.objectNode();
        bundle.put("type", "bundle");
        bundle.put("id", "bundle--" + UUID.randomUUID());
        bundle.putArray("objects").add(recall);
        Envelope envelope = new Envelope("envelope--" + UUID.randomUUID(), local.identityId(), partner.identityId(), sequence, now, List.of(), List.of(), bundle);
        String jws = signer.sign(envelope);
        ExchangeTables.enqueue(connection, partner.id(), sequence, envelope.id(), EnvelopeKind.RECALL, objectIds, jws, now);
        ledger.append(new AuditRecord(AuditKind.RECALL, actor, Optional.of(partner.id()), objectIds, List.of(), Optional.of(envelope.id()),
                "recall sent to partner " + partner.id() + ", sequence " + sequence + ": " + reason));
        return envelope;
    }

    private static String explain(ReleasePlan plan, List<String> objectIds)
    {
        StringBuilder text = new StringBuilder();
        for (ReleaseDecision decision : plan.withheld()) {
            if (objectIds.contains(decision.objectId())) {
                if (!text.isEmpty()) {
                    text.append("; ");
                }
                text.append(decision.objectId()).append(' ').append(decision.reason()).append(" (").append(decision.explanation()).append(')');
            }
        }
        return text.toString();
    }
}
