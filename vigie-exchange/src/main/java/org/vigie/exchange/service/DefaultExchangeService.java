package org.vigie.exchange.service;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.audit.AuditKind;
import org.vigie.exchange.audit.AuditLedger;
import org.vigie.exchange.audit.AuditRecord;
import org.vigie.exchange.audit.AuditRecords;
import org.vigie.exchange.database.DeliveryLeases;
import org.vigie.exchange.database.ExchangeDatabase;
import org.vigie.exchange.database.PartnerHoldings;
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
import org.vigie.store.CollectionInfo;
import org.vigie.store.ObjectPage;
import org.vigie.store.ObjectQuery;
import org.vigie.store.ObjectStore;
import org.vigie.store.StoredObject;
import org.vigie.store.VersionFilter;
import org.vigie.store.events.Event;
import org.vigie.store.events.EventLog;
import org.vigie.store.events.Subscription;
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
import java.util.Locale;
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
import java.util.function.Predicate;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

final class DefaultExchangeService
        implements ExchangeService
{
    /** STIX custom object type that carries a recall inside an envelope's bundle. */
    static final String RECALL_TYPE = "x-vigie-recall";
    // How long the store follower waits before carrying a failed batch again (the databases away).
    private static final Duration FOLLOWER_RETRY_PAUSE = Duration.ofSeconds(1);
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
        Map<String, String> versions = offeredVersions(items);
        List<Partner> recipients = List.copyOf(planned.values());
        List<ReleasePlan> plans = recipients.isEmpty() ? List.of() : planner(items).plan(items, recipients);
        return database.inTransaction("release to " + planned.keySet(), connection -> {
            Instant now = clock.instant();
            List<PartnerRelease> results = new ArrayList<>();
            for (int index = 0; index < recipients.size(); index++) {
                Partner partner = recipients.get(index);
                ReleasePlan plan = plans.get(index);
                Set<String> held = heldByPartner.getOrDefault(partner.id(), Set.of());
                Optional<Envelope> envelope = Optional.empty();
                List<String> sent = List.of();
                if (targeted.containsKey(partner.id()) && !plan.isEmpty()) {
                    sent = plan.releasedObjectIds();
                    envelope = Optional.of(queueRelease(connection, partner, plan, plan.objects(), sent, actor, now));
                }
                else if (!targeted.containsKey(partner.id())) {
                    // A holder not named in the release gets the new version of what it holds, and nothing else.
                    sent = plan.releasedObjectIds().stream().filter(held::contains).toList();
                    if (!sent.isEmpty()) {
                        ReleasePlan onlyHeld = restrictedTo(plan, sent);
                        envelope = Optional.of(queueRelease(connection, partner, onlyHeld, onlyHeld.objects(), sent, actor, now));
                    }
                }
                List<String> toRecall = new ArrayList<>();
                for (ReleaseDecision decision : plan.withheld()) {
                    // A relationship withheld because its target was not offered this time says nothing about the object itself.
                    if (decision.reason() != DecisionReason.REQUIRED_REFERENCE_WITHHELD
                            && held.contains(decision.objectId())
                            && !toRecall.contains(decision.objectId())) {
                        toRecall.add(decision.objectId());
                    }
                }
                Optional<String> recallEnvelopeId = Optional.empty();
                if (!toRecall.isEmpty()) {
                    String reason = "a new version is withheld from partner " + partner.id() + ": " + explain(plan, toRecall);
                    recallEnvelopeId = Optional.of(queueRecall(connection, partner, toRecall, reason, actor, now).id());
                }
                // So that the follower of the store's log, reading the addition of this version later, does not send it
                // to this holder again. Only holders of an earlier version: a first release leaves no row (the
                // follower does nothing for a first version), so a large release writes nothing more.
                recordPropagated(connection, partner.id(), sent.stream().filter(held::contains).toList(), versions, EnvelopeKind.RELEASE, now);
                recordPropagated(connection, partner.id(), toRecall, versions, EnvelopeKind.RECALL, now);
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
    public RecallResult recall(String objectId, String reason, String actor)
    {
        requireNonNull(objectId, "objectId is null");
        requireNonNull(reason, "reason is null");
        requireNonNull(actor, "actor is null");
        return database.inTransaction("recall " + objectId, connection -> {
            Instant now = clock.instant();
            List<String> recalled = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            for (String partnerId : ExchangeTables.holders(connection, objectId)) {
                Optional<Partner> partner = registry.partner(partnerId);
                if (partner.isEmpty()) {
                    // A removed partner cannot be reached (no endpoint, no pinned key); the others still are.
                    skipped.add(partnerId);
                    ledger.append(new AuditRecord(AuditKind.RECALL, actor, Optional.of(partnerId), List.of(objectId), List.of(), Optional.empty(),
                            "recall not sent to partner " + partnerId + ": it received the object but is no longer registered; reason: " + reason));
                    continue;
                }
                queueRecall(connection, partner.get(), List.of(objectId), reason, actor, now);
                recalled.add(partnerId);
            }
            return new RecallResult(recalled, skipped);
        });
    }

    @Override
    public List<Acknowledgement> recallStatus(String objectId)
    {
        return database.read("read the recalls of " + objectId, connection -> ExchangeTables.entriesWithObject(connection, objectId, EnvelopeKind.RECALL).stream()
                .map(DefaultExchangeService::acknowledgement)
                .toList());
    }

    @Override
    public List<Acknowledgement> propagationStatus(String objectId)
    {
        return database.read("read the envelopes about " + objectId, connection -> {
            // Per partner, the latest envelope that carried or recalled the object.
            TreeMap<String, OutboxEntry> latest = new TreeMap<>();
            for (EnvelopeKind kind : EnvelopeKind.values()) {
                for (OutboxEntry entry : ExchangeTables.entriesWithObject(connection, objectId, kind)) {
                    latest.merge(entry.partnerId(), entry, (first, second) -> first.sequence() >= second.sequence() ? first : second);
                }
            }
            return latest.values().stream().map(DefaultExchangeService::acknowledgement).toList();
        });
    }

    private static Acknowledgement acknowledgement(OutboxEntry entry)
    {
        return new Acknowledgement(entry.partnerId(), entry.kind(), entry.envelopeId(), entry.state(), entry.lastError());
    }

    @Override
    public Subscription followStore(EventLog events, Predicate<List<Event>> alongside, Runnable queued)
    {
        requireNonNull(alongside, "alongside is null");
        // Non-short-circuit or: each batch goes to both, whatever the first one queued.
        return StoreFollower.start(events, batch -> propagate(batch) | alongside.test(batch), queued, FOLLOWER_RETRY_PAUSE);
    }

    /**
     * Carries one committed change of the store to the partners that hold the object: a revoked or narrowed new
     * version goes to each holder the policy still allows it for and is recalled from the others; a widened one
     * goes nowhere (releasing more is the owner's explicit act); one with unchanged markings follows only when
     * {@code exchange.follow-new-versions} is set; a deletion that leaves no version in the collection recalls the
     * object from every holder. Holders already sent or recalled this version are skipped, checked again inside the
     * transaction (the writer row serialises replicas), so a replayed event or a second replica sends nothing twice.
     * True when it queued any envelope.
     */
    boolean propagate(List<Event> events)
    {
        // Most changes concern objects no partner holds: one look-up for the whole batch sorts them out.
        Set<String> ids = new TreeSet<>();
        events.forEach(event -> ids.add(event.objectId()));
        Set<String> held = database.read("find which of " + ids.size() + " changed objects partners hold", connection -> ExchangeTables.holders(connection, ids)).keySet();
        boolean queued = false;
        for (Event event : events) {
            if (held.contains(event.objectId())) {
                queued |= propagate(event);
            }
        }
        return queued;
    }

    private boolean propagate(Event event)
    {
        String objectId = event.objectId();
        List<StoredObject> versions = allVersions(event.collectionId(), objectId);
        return switch (event.kind()) {
            case ADDED -> followAddition(event, versions);
            case DELETED -> versions.isEmpty() && !storedElsewhere(event.collectionId(), objectId)
                    && propagateTo(objectId, "deleted:" + event.version().map(Timestamps::format).orElse("unversioned"), Optional.empty(), true, "deleted from collection " + event.collectionId());
        };
    }

    private boolean followAddition(Event event, List<StoredObject> versions)
    {
        if (event.version().isEmpty()) {
            // Objects without a version (SCOs) cannot get a new one.
            return false;
        }
        Instant version = event.version().get();
        Optional<StoredObject> current = versions.stream().filter(stored -> stored.object().version().equals(event.version())).findFirst();
        if (current.isEmpty()) {
            // Deleted again since: its deletion event follows.
            return false;
        }
        Optional<JsonNode> previous = versions.stream()
                .filter(stored -> stored.object().version().isPresent() && stored.object().version().get().isBefore(version))
                .reduce((first, second) -> second.object().version().get().isAfter(first.object().version().get()) ? second : first)
                .map(stored -> stored.object().tree());
        VersionChange change = VersionChange.between(previous, current.get().object().tree(), resolver);
        boolean follows = switch (change) {
            case REVOKED, NARROWED, WIDENED -> true;
            case FIRST -> false;
            case UNCHANGED -> config.followNewVersions();
        };
        boolean sendAllowed = switch (change) {
            case REVOKED, NARROWED, UNCHANGED, FIRST -> true;
            // Recalled where the policy now withholds it, sent nowhere.
            case WIDENED -> false;
        };
        return follows && propagateTo(event.objectId(), Timestamps.format(version), Optional.of(ReleaseItem.of(current.get().object().tree(), event.collectionId())),
                sendAllowed, "new version " + Timestamps.format(version) + " in collection " + event.collectionId() + " (" + change.name().toLowerCase(Locale.ROOT) + ")");
    }

    /**
     * Sends the new version to each holder the policy allows it for and recalls it from the others; without a new
     * version, recalls it from every holder. True when it queued any envelope.
     */
    private boolean propagateTo(String objectId, String version, Optional<ReleaseItem> item, boolean sendAllowed, String why)
    {
        String actor = "exchange follower";
        List<String> holders = database.read("find the holders of " + objectId, connection -> ExchangeTables.holders(connection, objectId));
        List<Partner> registered = new ArrayList<>();
        holders.forEach(partnerId -> registry.partner(partnerId).ifPresent(registered::add));
        List<ReleasePlan> plans = item.isEmpty() || registered.isEmpty() ? List.of() : planner(List.of(item.get())).plan(List.of(item.get()), registered);
        return database.inTransaction("propagate " + objectId + " " + version + " to its holders", connection -> {
            Instant now = clock.instant();
            boolean queued = false;
            Set<String> done = ExchangeTables.propagatedTo(connection, objectId, version);
            Set<String> current = new TreeSet<>(ExchangeTables.holders(connection, objectId));
            for (String partnerId : holders) {
                if (done.contains(partnerId) || !current.contains(partnerId)) {
                    continue;
                }
                Optional<Partner> partner = registered.stream().filter(candidate -> candidate.id().equals(partnerId)).findFirst();
                if (partner.isEmpty()) {
                    ledger.append(new AuditRecord(AuditKind.RECALL, actor, Optional.of(partnerId), List.of(objectId), List.of(), Optional.empty(),
                            "change not sent to partner " + partnerId + ": it received the object but is no longer registered; " + why));
                    ExchangeTables.recordPropagated(connection, objectId, version, partnerId, "SKIPPED", now);
                    continue;
                }
                if (item.isEmpty()) {
                    queueRecall(connection, partner.get(), List.of(objectId), why, actor, now);
                    ExchangeTables.recordPropagated(connection, objectId, version, partnerId, EnvelopeKind.RECALL.name(), now);
                    queued = true;
                    continue;
                }
                ReleasePlan plan = plans.get(registered.indexOf(partner.get()));
                Optional<ReleaseDecision> decision = plan.decisions().stream().filter(candidate -> candidate.objectId().equals(objectId)).findFirst();
                if (!plan.isEmpty()) {
                    if (sendAllowed) {
                        queueRelease(connection, partner.get(), plan, plan.objects(), plan.releasedObjectIds(), actor, now);
                        ExchangeTables.recordPropagated(connection, objectId, version, partnerId, EnvelopeKind.RELEASE.name(), now);
                        queued = true;
                    }
                }
                else if (decision.isPresent() && decision.get().reason() != DecisionReason.REQUIRED_REFERENCE_WITHHELD) {
                    queueRecall(connection, partner.get(), List.of(objectId), "a new version is withheld from partner " + partnerId + ": " + why + ": "
                            + explain(plan, List.of(objectId)), actor, now);
                    ExchangeTables.recordPropagated(connection, objectId, version, partnerId, EnvelopeKind.RECALL.name(), now);
                    queued = true;
                }
                // Withheld only because a required reference was not offered with it: the follower says nothing about
                // the object then (as a release does), the partner keeps what it has.
            }
            return queued;
        });
    }

    /**
     * Whether another collection still holds a version of the object: holders are known by object id, so a deletion
     * from one collection (a scratch copy, say) recalls nothing while the object is kept, and may be released, elsewhere.
     */
    private boolean storedElsewhere(String collectionId, String objectId)
    {
        for (CollectionInfo collection : store.listCollections()) {
            if (!collection.id().equals(collectionId)
                    && !store.findObjects(collection.id(), ObjectQuery.all(1).withIds(List.of(objectId)).withVersions(VersionFilter.ALL)).objects().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private List<StoredObject> allVersions(String collectionId, String objectId)
    {
        if (store.findCollection(collectionId).isEmpty()) {
            return List.of();
        }
        List<StoredObject> versions = new ArrayList<>();
        ObjectQuery query = ObjectQuery.all(STORE_PAGE).withIds(List.of(objectId)).withVersions(VersionFilter.ALL);
        while (true) {
            ObjectPage page = store.findObjects(collectionId, query);
            versions.addAll(page.objects());
            if (!page.more() || page.next().isEmpty()) {
                return versions;
            }
            query = query.withNext(page.next().get());
        }
    }

    /** Offered object id to the text of its latest offered version (modified, else created). */
    private static Map<String, String> offeredVersions(List<ReleaseItem> items)
    {
        Map<String, Instant> latest = new HashMap<>();
        for (ReleaseItem item : items) {
            JsonNode object = item.object();
            Optional<Instant> version = Timestamps.tryParse(object.path("modified").asString(object.path("created").asString("")));
            version.ifPresent(value -> latest.merge(item.id(), value, (first, second) -> first.isAfter(second) ? first : second));
        }
        Map<String, String> result = new HashMap<>();
        latest.forEach((id, version) -> result.put(id, Timestamps.format(version)));
        return result;
    }

    private static void recordPropagated(Connection connection, String partnerId, List<String> objectIds, Map<String, String> versions, EnvelopeKind kind, Instant now)
            throws SQLException
    {
        for (String objectId : objectIds) {
            String version = versions.get(objectId);
            if (version != null) {
                ExchangeTables.recordPropagated(connection, objectId, version, partnerId, kind.name(), now);
            }
        }
    }

    /** The plan cut down to these released objects and the marking-definitions they reference. */
    private static ReleasePlan restrictedTo(ReleasePlan plan, List<String> objectIds)
    {
        Set<String> kept = new TreeSet<>(objectIds);
        Set<String> markings = new TreeSet<>();
        for (JsonNode object : plan.objects()) {
            if (kept.contains(object.path("id").asString(""))) {
                object.path("object_marking_refs").values().forEach(reference -> markings.add(reference.asString("")));
                object.path("granular_markings").values().forEach(granular -> markings.add(granular.path("marking_ref").asString("")));
            }
        }
        List<JsonNode> objects = plan.objects().stream().filter(object -> kept.contains(object.path("id").asString("")) || markings.contains(object.path("id").asString(""))).toList();
        return new ReleasePlan(plan.partnerId(), objects, plan.decisions().stream().filter(decision -> kept.contains(decision.objectId())).toList(),
                plan.withheldReferences().stream().filter(reference -> kept.contains(reference.objectId())).toList(), plan.handling());
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
        // A partner that read the objects no longer holds them once told to delete them.
        PartnerHoldings.forget(connection, partner.id(), objectIds);
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
