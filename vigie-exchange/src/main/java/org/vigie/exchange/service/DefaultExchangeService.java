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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

final class DefaultExchangeService
        implements ExchangeService
{
    /** STIX custom object type that carries a recall inside an envelope's bundle. */
    static final String RECALL_TYPE = "x-vigie-recall";
    private static final String JWS_MEDIA_TYPE = "application/jose";
    private static final int STORE_PAGE = 1_000;
    /** Envelopes of one request stop adding up here (the TAXII server accepts 100 MiB by default). */
    private static final long MAXIMUM_REQUEST_BYTES = 16L << 20;

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
    private final ReceiptSignature receiptSignature;
    private final ExecutorService pushers;
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
        this.receiptSignature = new ReceiptSignature(local);
        this.inbox = new Inbox(config, database, store, registry, ledger, local, receiptSignature, clock, this::planner);
        AtomicInteger threads = new AtomicInteger();
        // Partners are pushed to in parallel (each partner's own envelopes stay in order on one thread).
        this.pushers = Executors.newFixedThreadPool(config.parallelPartners(), runnable -> {
            Thread thread = new Thread(runnable, "vigie-exchange-push-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
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
            ExchangeTables.holders(connection, offeredIds).forEach((objectId, partnerIds) -> {
                for (String partnerId : partnerIds) {
                    held.computeIfAbsent(partnerId, key -> new TreeSet<>()).add(objectId);
                }
            });
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
        return sightingBack(sighting, actor, false).orElseThrow();
    }

    @Override
    public Optional<ReleaseResult> sightingBackOnce(JsonNode sighting, String actor)
    {
        return sightingBack(sighting, actor, true);
    }

    private Optional<ReleaseResult> sightingBack(JsonNode sighting, String actor, boolean once)
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
            if (once && ExchangeTables.entriesWithObject(connection, sightingId, EnvelopeKind.RELEASE).stream().anyMatch(entry -> entry.partnerId().equals(origin.id()))) {
                return Optional.<ReleaseResult>empty();
            }
            Optional<Envelope> envelope = Optional.empty();
            if (released) {
                List<JsonNode> objects = plan.objects().stream().filter(object -> !object.path("id").asString("").equals(sightedId)).toList();
                List<String> objectIds = plan.releasedObjectIds().stream().filter(id -> !id.equals(sightedId)).toList();
                envelope = Optional.of(queueRelease(connection, origin, plan, objects, objectIds, actor, clock.instant()));
            }
            return Optional.of(new ReleaseResult(List.of(new PartnerRelease(origin.id(), envelope.map(Envelope::id),
                    envelope.map(value -> OptionalLong.of(value.sequence())).orElse(OptionalLong.empty()), plan.decisions(), plan.withheldReferences(), Optional.empty()))));
        });
    }

    @Override
    public DeliveryReport deliverDue()
    {
        synchronized (deliveryLock) {
            Instant now = clock.instant();
            List<String> partnerIds = database.read("list partners with undelivered envelopes", ExchangeTables::partnersWithUndelivered);
            List<PartnerRound> rounds = new ArrayList<>();
            if (partnerIds.size() == 1) {
                // One partner (the usual immediate push): no hand-over to another thread.
                rounds.add(deliverTo(partnerIds.get(0), now));
            }
            else {
                List<Future<PartnerRound>> futures = new ArrayList<>();
                for (String partnerId : partnerIds) {
                    futures.add(pushers.submit(() -> deliverTo(partnerId, now)));
                }
                for (Future<PartnerRound> future : futures) {
                    rounds.add(outcome(future));
                }
            }
            int attempted = 0;
            int stored = 0;
            int failed = 0;
            List<String> waiting = new ArrayList<>();
            List<String> behind = new ArrayList<>();
            for (PartnerRound round : rounds) {
                attempted += round.attempted();
                stored += round.stored();
                failed += round.failed();
                if (round.waiting()) {
                    waiting.add(round.partnerId());
                }
                if (round.attempted() >= config.batchSize() && round.failed() == 0) {
                    behind.add(round.partnerId());
                }
            }
            return new DeliveryReport(attempted, stored, failed, waiting, behind);
        }
    }

    private record PartnerRound(String partnerId, int attempted, int stored, int failed, boolean waiting) {}

    private static PartnerRound outcome(Future<PartnerRound> future)
    {
        try {
            return future.get();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VigieException(ErrorCode.INTERNAL_ERROR, "delivery round interrupted", e);
        }
        catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new VigieException(ErrorCode.INTERNAL_ERROR, "delivery round failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Pushes one partner's due envelopes in sequence order, several per request when it is behind,
     * until the round's batch size, the first failure, or an envelope whose next attempt is not due:
     * the outbox waits behind its oldest undelivered envelope, which keeps delivery in order.
     */
    private PartnerRound deliverTo(String partnerId, Instant now)
    {
        Optional<Partner> partner = registry.partner(partnerId);
        if (partner.isEmpty()) {
            return new PartnerRound(partnerId, 0, 0, 0, true);
        }
        // Replicas on one database: another one is delivering this partner's outbox.
        if (!leases.acquire(partnerId)) {
            return new PartnerRound(partnerId, 0, 0, 0, false);
        }
        try {
            return deliverUnderLease(partner.get(), now);
        }
        finally {
            leases.release(partnerId);
        }
    }

    private PartnerRound deliverUnderLease(Partner partner, Instant now)
    {
        String partnerId = partner.id();
        List<ExchangeTables.Pending> oldest = database.read("read the outbox of " + partnerId, connection -> ExchangeTables.oldestUndelivered(connection, partnerId, config.batchSize()));
        List<List<ExchangeTables.Pending>> requests = requests(oldest, now);
        int due = requests.stream().mapToInt(List::size).sum();
        if (requests.isEmpty()) {
            return new PartnerRound(partnerId, 0, 0, 0, !oldest.isEmpty());
        }
        int attempted = 0;
        int stored = 0;
        int failed = 0;
        // Up to requests-in-flight requests go out before the first answer is read: the partner verifies the
        // next one while it stores the one before, and still stores them in sequence order.
        ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
        int next = 0;
        boolean stopped = false;
        boolean broken = false;
        while (!inFlight.isEmpty() || (!stopped && next < requests.size())) {
            while (!stopped && next < requests.size() && inFlight.size() < config.requestsInFlight()) {
                // The lease is renewed before each request, so a replica that stops renewing is taken over.
                if (next > 0 && !leases.acquire(partnerId)) {
                    stopped = true;
                    break;
                }
                List<ExchangeTables.Pending> request = requests.get(next++);
                inFlight.add(new InFlight(request, send(partner, request, requests.size() > 1)));
            }
            if (inFlight.isEmpty()) {
                break;
            }
            InFlight answered = inFlight.poll();
            List<Attempt> attempts = attempts(partner, answered);
            if (broken) {
                // Sent before an earlier request failed: refused for that failure (out of order), not on its
                // merits. Only what the partner stored counts; the rest is sent again, in order, without backoff.
                attempts = attempts.stream().takeWhile(attempt -> attempt.state() == OutboxState.STORED).toList();
            }
            record(partnerId, answered.request(), attempts, now);
            attempted += attempts.size();
            for (Attempt attempt : attempts) {
                if (attempt.state() == OutboxState.STORED) {
                    stored++;
                }
                else {
                    failed++;
                }
            }
            if (attempts.size() < answered.request().size() || attempts.stream().anyMatch(attempt -> attempt.state() != OutboxState.STORED)) {
                stopped = true;
                broken = true;
            }
        }
        return new PartnerRound(partnerId, attempted, stored, failed, failed > 0 || due < oldest.size());
    }

    /** The due envelopes cut into requests of at most envelopes-per-request and 16 MiB, stopping at the first not yet due. */
    private List<List<ExchangeTables.Pending>> requests(List<ExchangeTables.Pending> oldest, Instant now)
    {
        List<List<ExchangeTables.Pending>> requests = new ArrayList<>();
        List<ExchangeTables.Pending> request = new ArrayList<>();
        long bytes = 0;
        for (ExchangeTables.Pending pending : oldest) {
            if (pending.entry().nextAttempt().isAfter(now)) {
                break;
            }
            if (!request.isEmpty() && (request.size() == config.envelopesPerRequest() || bytes + pending.jws().length() > MAXIMUM_REQUEST_BYTES)) {
                requests.add(request);
                request = new ArrayList<>();
                bytes = 0;
            }
            request.add(pending);
            bytes += pending.jws().length() + 1;
        }
        if (!request.isEmpty()) {
            requests.add(request);
        }
        return requests;
    }

    private void record(String partnerId, List<ExchangeTables.Pending> request, List<Attempt> attempts, Instant now)
    {
        if (attempts.isEmpty()) {
            return;
        }
        database.inTransaction("record delivery to partner " + partnerId, connection -> {
            for (int index = 0; index < attempts.size(); index++) {
                Attempt attempt = attempts.get(index);
                OutboxEntry entry = request.get(index).entry();
                Instant next = attempt.state() == OutboxState.STORED ? now : now.plus(backoff(entry.attempts() + 1));
                ExchangeTables.recordAttempt(connection, entry, attempt.state(), attempt.error(), attempt.signedReceipt(), next);
                if (attempt.rejectedReceipt().isPresent()) {
                    ledger.append(new AuditRecord(AuditKind.REJECTION, "partner:" + partnerId, Optional.of(partnerId), entry.objectIds(), List.of(), Optional.of(entry.envelopeId()),
                            attempt.rejectedReceipt().get()));
                }
            }
            return null;
        });
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
    public SortedMap<String, List<ReceivedObject>> provenance(Collection<String> objectIds)
    {
        requireNonNull(objectIds, "objectIds is null");
        return database.read("read the provenance of " + objectIds.size() + " objects", connection -> ExchangeTables.received(connection, objectIds));
    }

    /** For the latency benchmark: told when the inbox committed received envelopes. */
    void onInboxCommitted(LongConsumer listener)
    {
        inbox.onCommitted(listener);
    }

    @Override
    public InboxStatistics inboxStatistics()
    {
        return inbox.statistics();
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
        pushers.shutdownNow();
        transport.close();
    }

    private ReleasePlanner planner()
    {
        return ReleasePlanner.create(decider.get(), registry, resolver, clock);
    }

    /**
     * A planner that also resolves the marking-definitions offered alongside the objects (the planner's
     * resolver sees only the store), and that reads the origins of all offered objects in one query
     * instead of one per object.
     */
    private ReleasePlanner planner(List<ReleaseItem> items)
    {
        Map<String, JsonNode> offered = new HashMap<>();
        Set<String> ids = new TreeSet<>();
        for (ReleaseItem item : items) {
            ids.add(item.id());
            if ("marking-definition".equals(item.object().path("type").asString(""))) {
                offered.put(item.id(), item.object());
            }
        }
        Map<String, String> origins = database.read("read the origins of the offered objects", connection -> ExchangeTables.origins(connection, ids));
        MarkingResolver forRelease = new MarkingResolver()
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
                return ids.contains(objectId) ? Optional.ofNullable(origins.get(objectId)) : resolver.originPartner(objectId);
            }
        };
        return ReleasePlanner.create(decider.get(), registry, forRelease, clock);
    }

    /**
     * What became of one envelope of a request.
     *
     * @param signedReceipt the partner's receipt as signed, once verified
     * @param rejectedReceipt why the answer was refused as a receipt (forged, altered, misaddressed, for another
     * envelope): audited, and the envelope keeps its state
     */
    private record Attempt(OutboxState state, Optional<String> error, Optional<String> signedReceipt, Optional<String> rejectedReceipt)
    {
        static Attempt failed(OutboxState state, String error)
        {
            return new Attempt(state, Optional.of(error), Optional.empty(), Optional.empty());
        }
    }

    /** A request sent and not yet answered. */
    private record InFlight(List<ExchangeTables.Pending> request, CompletableFuture<PartnerTransport.Response> response) {}

    /**
     * Posts the envelopes in one request, one per line. A round of one request (the immediate push of a
     * release) sends it on the calling thread, handing nothing to another thread; otherwise asynchronously.
     */
    private CompletableFuture<PartnerTransport.Response> send(Partner partner, List<ExchangeTables.Pending> request, boolean asynchronous)
    {
        StringBuilder body = new StringBuilder();
        for (ExchangeTables.Pending pending : request) {
            if (!body.isEmpty()) {
                body.append('\n');
            }
            body.append(pending.jws());
        }
        try {
            if (asynchronous) {
                return transport.postAsync(partner, PartnerTransport.inboxUri(partner), JWS_MEDIA_TYPE, body.toString());
            }
            return CompletableFuture.completedFuture(transport.post(partner, PartnerTransport.inboxUri(partner), JWS_MEDIA_TYPE, body.toString()));
        }
        catch (IOException | VigieException e) {
            return CompletableFuture.failedFuture(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        }
    }

    /** One attempt per envelope the partner answered for (at least one). */
    private List<Attempt> attempts(Partner partner, InFlight answered)
    {
        PartnerTransport.Response response;
        try {
            response = answered.response().get();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of(Attempt.failed(OutboxState.PENDING, "delivery to partner " + partner.id() + " was interrupted"));
        }
        catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InterruptedException) {
                return List.of(Attempt.failed(OutboxState.PENDING, "delivery to partner " + partner.id() + " was interrupted"));
            }
            if (cause instanceof VigieException vigie) {
                return List.of(Attempt.failed(OutboxState.PENDING, vigie.getMessage()));
            }
            String why = cause instanceof IOException io ? describe(io) : String.valueOf(cause);
            return List.of(Attempt.failed(OutboxState.PENDING, "cannot reach partner " + partner.id() + " at " + PartnerTransport.inboxUri(partner) + ": " + why));
        }
        List<ExchangeTables.Pending> request = answered.request();
        String[] lines = response.body().strip().split("\n");
        if (!looksLikeReceipt(lines[0])) {
            return List.of(Attempt.failed(OutboxState.DELIVERED, "partner " + partner.id() + " answered HTTP " + response.status() + " without a receipt: " + abbreviate(lines[0])));
        }
        List<Attempt> attempts = new ArrayList<>();
        for (int index = 0; index < lines.length && index < request.size(); index++) {
            OutboxEntry entry = request.get(index).entry();
            Attempt attempt = answered(partner, entry, lines[index]);
            attempts.add(attempt);
            if (attempt.state() != OutboxState.STORED) {
                break;
            }
        }
        return attempts;
    }

    /** A JWS (three base64url parts) or a JSON object that says it is a receipt; anything else is some other answer, such as a server error. */
    private static boolean looksLikeReceipt(String line)
    {
        if (line.startsWith("{")) {
            return line.contains("\"" + Receipt.TYPE + "\"");
        }
        return line.chars().filter(character -> character == '.').count() == 2;
    }

    private Attempt answered(Partner partner, OutboxEntry entry, String line)
    {
        Receipt receipt;
        try {
            receipt = receiptSignature.verify(line, partner);
        }
        catch (VigieException e) {
            return refused(entry, e.getMessage());
        }
        if (receipt.envelopeId().isPresent() && !receipt.envelopeId().get().equals(entry.envelopeId())
                || receipt.sequence().isPresent() && receipt.sequence().getAsLong() != entry.sequence()) {
            return refused(entry, "receipt from partner " + partner.id() + " rejected: it is for envelope " + receipt.envelopeId().orElse("(none)") + " sequence "
                    + (receipt.sequence().isPresent() ? receipt.sequence().getAsLong() : "(none)") + ", not for " + entry.envelopeId() + " sequence " + entry.sequence());
        }
        Optional<String> signed = Optional.of(line);
        return switch (receipt.status()) {
            case STORED -> new Attempt(OutboxState.STORED, Optional.empty(), signed, Optional.empty());
            case VERIFIED -> new Attempt(OutboxState.VERIFIED, Optional.of("partner " + partner.id() + " verified but could not store: " + receipt.detail()), signed, Optional.empty());
            case REJECTED -> new Attempt(OutboxState.REJECTED, Optional.of("partner " + partner.id() + " rejected the envelope: " + receipt.rejection().orElseThrow() + ": " + receipt.detail()),
                    signed, Optional.empty());
        };
    }

    /** A refused receipt leaves the envelope's state as it was; the attempt is counted and retried after the backoff. */
    private static Attempt refused(OutboxEntry entry, String why)
    {
        return new Attempt(entry.state(), Optional.of(why), Optional.empty(), Optional.of(why));
    }

    private static String abbreviate(String text)
    {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
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
        database.announceQueued(connection);
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
        database.announceQueued(connection);
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
