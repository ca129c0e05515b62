package org.vigie.exchange.service;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.exchange.audit.AuditKind;
import org.vigie.exchange.audit.AuditQuery;
import org.vigie.exchange.marking.HandlingCode;
import org.vigie.exchange.marking.Pap;
import org.vigie.exchange.marking.Tlp;
import org.vigie.exchange.marking.VigieMarking;
import org.vigie.exchange.policy.ReleaseDecider;
import org.vigie.exchange.policy.ReleaseItem;
import org.vigie.exchange.policy.ReleasePolicy;
import org.vigie.exchange.testing.ExchangeTestNode;
import org.vigie.exchange.testing.MutableClock;
import org.vigie.exchange.testing.TestCertificates;
import org.vigie.exchange.testing.TestObjects;
import org.vigie.stix.StixObject;
import org.vigie.stix.json.StixJson;
import org.vigie.store.CollectionInfo;
import org.vigie.store.ObjectQuery;
import org.vigie.store.VersionFilter;
import org.vigie.store.events.Cursor;
import org.vigie.store.events.EventLog;
import org.vigie.store.events.Subscription;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.vigie.exchange.testing.TestObjects.idOf;

/**
 * Issue 5 item 5 over real mTLS nodes: revoking an object, narrowing its markings or recalling it reaches every
 * partner holding it (pushed to, named in an earlier release or not, or having read it over TAXII), whether the
 * change is released or only written to the store, and the sender sees who acknowledged. Node a's policy: the
 * forum (b and c) gets up to GREEN, b bilaterally up to RED.
 */
class HolderPropagationTest
{
    private static final String COLLECTION = "intel";
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    static Path certificateDirectory;
    private static TestCertificates certificates;

    @TempDir
    Path directory;

    private ForumNodes nodes;
    private MutableClock clock;
    private ExchangeTestNode a;
    private ExchangeTestNode b;
    private ExchangeTestNode c;
    private final List<Subscription> followers = new ArrayList<>();

    @BeforeAll
    static void makeCertificates()
            throws Exception
    {
        certificates = TestCertificates.create(certificateDirectory, List.of("a", "b", "c"));
    }

    @BeforeEach
    void startNodes()
    {
        nodes = new ForumNodes(directory, certificates);
        clock = nodes.clock;
        a = nodes.a;
        b = nodes.b;
        c = nodes.c;
        a.store().createCollection(CollectionInfo.of(COLLECTION, "Intel"));
    }

    @AfterEach
    void stopNodes()
    {
        followers.forEach(Subscription::close);
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void aNewVersionReleasedToOnePartnerReachesEveryHolder()
    {
        ObjectNode green = TestObjects.indicator(1, "2026-04-01T09:00:00.000Z", Tlp.GREEN);
        a.service().release(List.of(item(green)), ReleaseTargets.groups("forum"), "analyst");
        a.service().deliverDue();
        assertThat(c.inboundIds()).containsExactly(idOf(green));

        // GREEN to GREEN+H2, released to b only: c holds the object and the forum rule still allows it.
        ObjectNode h2 = TestObjects.marking(VigieMarking.empty().withHandling(HandlingCode.H2, Optional.empty()));
        ObjectNode withH2 = TestObjects.indicator(1, "2026-04-01T10:00:00.000Z", Tlp.GREEN, idOf(h2));
        ReleaseResult second = a.service().release(List.of(item(h2), item(withH2)), ReleaseTargets.partners("b"), "analyst");
        a.service().deliverDue();

        assertThat(second.partner("c").orElseThrow().releasedObjectIds()).containsExactly(idOf(withH2));
        assertThat(modified(c, idOf(withH2))).isEqualTo("2026-04-01T10:00:00.000Z");
        assertThat(c.store().findObjects(ExchangeConfig.DEFAULT_INBOX_COLLECTION, ObjectQuery.all(10).withIds(List.of(idOf(h2)))).objects())
                .as("the marking-definition travels with the new version").hasSize(1);

        // GREEN+H2 to AMBER, released to b only: c is no longer allowed and gets a recall.
        ObjectNode amber = TestObjects.indicator(1, "2026-04-01T11:00:00.000Z", Tlp.AMBER, idOf(h2));
        ReleaseResult third = a.service().release(List.of(item(h2), item(amber)), ReleaseTargets.partners("b"), "analyst");
        a.service().deliverDue();

        assertThat(third.partner("c").orElseThrow().recallEnvelopeId()).isPresent();
        assertThat(c.inboundIds()).isEmpty();
        assertThat(modified(b, idOf(amber))).isEqualTo("2026-04-01T11:00:00.000Z");
        assertThat(a.service().propagationStatus(idOf(amber))).extracting(Acknowledgement::partnerId, Acknowledgement::kind, Acknowledgement::acknowledged)
                .containsExactly(tuple("b", EnvelopeKind.RELEASE, true), tuple("c", EnvelopeKind.RECALL, true));
    }

    @Test
    void narrowingWrittenToTheStoreReachesEveryHolderAndTheSenderSeesWhoAcknowledged()
    {
        ObjectNode green = TestObjects.indicator(1, "2026-04-01T09:00:00.000Z", Tlp.GREEN);
        releasedToForum(List.of(green));
        assertThat(b.inboundIds()).containsExactly(idOf(green));
        assertThat(c.inboundIds()).containsExactly(idOf(green));
        Subscription follower = follow(a);
        c.stopServer();

        // A plain store write (a TAXII POST or the console's edit): no release.
        storeAt(a, TestObjects.indicator(1, "2026-04-01T11:00:00.000Z", Tlp.AMBER));
        awaitFollowed(follower, a.store().events());
        a.service().deliverDue();

        assertThat(modified(b, idOf(green))).as("b may still have it: the new version").isEqualTo("2026-04-01T11:00:00.000Z");
        assertThat(a.service().propagationStatus(idOf(green))).extracting(Acknowledgement::partnerId, Acknowledgement::kind, Acknowledgement::acknowledged)
                .containsExactly(tuple("b", EnvelopeKind.RELEASE, true), tuple("c", EnvelopeKind.RECALL, false));
        assertThat(a.service().recallStatus(idOf(green))).singleElement().satisfies(acknowledgement -> {
            assertThat(acknowledgement.partnerId()).isEqualTo("c");
            assertThat(acknowledgement.acknowledged()).isFalse();
            assertThat(acknowledgement.lastError()).isPresent();
        });

        c.restartServer();
        clock.advance(Duration.ofMinutes(2));
        a.service().deliverDue();

        assertThat(c.inboundIds()).as("c is no longer allowed: recalled").isEmpty();
        assertThat(a.service().recallStatus(idOf(green))).singleElement().satisfies(acknowledgement -> assertThat(acknowledgement.acknowledged()).isTrue());
        assertThat(a.ledger().query(AuditQuery.all().withObject(idOf(green)).withKinds(Set.of(AuditKind.RECALL)).withPartner("c"))).hasSize(1);
        assertThat(a.ledger().verify().valid()).isTrue();

        // Widening back to GREEN is not a release: b keeps the AMBER version, c gets nothing.
        int outboxOfB = a.service().outbox("b").size();
        int outboxOfC = a.service().outbox("c").size();
        storeAt(a, TestObjects.indicator(1, "2026-04-01T12:00:00.000Z", Tlp.GREEN));
        awaitFollowed(follower, a.store().events());
        assertThat(a.service().outbox("b")).hasSize(outboxOfB);
        assertThat(a.service().outbox("c")).hasSize(outboxOfC);
    }

    @Test
    void aContentOnlyChangeFollowsOnlyWhenConfigured()
    {
        ObjectNode green = TestObjects.indicator(1, "2026-04-01T09:00:00.000Z", Tlp.GREEN);
        releasedToForum(List.of(green));
        Subscription follower = follow(a);

        ObjectNode renamed = TestObjects.indicator(1, "2026-04-01T10:00:00.000Z", Tlp.GREEN);
        renamed.put("name", "renamed");
        storeAt(a, renamed);
        awaitFollowed(follower, a.store().events());
        assertThat(a.service().outbox("b")).as("markings unchanged, exchange.follow-new-versions unset: nothing follows").hasSize(1);

        follower.close();
        followers.remove(follower);
        a.restart(Map.of("exchange.follow-new-versions", "true"));
        follower = follow(a);
        ObjectNode renamedAgain = TestObjects.indicator(1, "2026-04-01T11:00:00.000Z", Tlp.GREEN);
        renamedAgain.put("name", "renamed again");
        storeAt(a, renamedAgain);
        awaitFollowed(follower, a.store().events());
        a.service().deliverDue();

        assertThat(modified(b, idOf(green))).isEqualTo("2026-04-01T11:00:00.000Z");
        assertThat(modified(c, idOf(green))).isEqualTo("2026-04-01T11:00:00.000Z");
    }

    @Test
    void revocationWrittenToTheStoreReachesEveryHolder()
    {
        ObjectNode green = TestObjects.indicator(1, "2026-04-01T09:00:00.000Z", Tlp.GREEN);
        ObjectNode other = TestObjects.indicator(2, "2026-04-01T09:00:00.000Z", Tlp.GREEN);
        releasedToForum(List.of(green, other));
        Subscription follower = follow(a);

        ObjectNode revoked = TestObjects.indicator(1, "2026-04-01T11:00:00.000Z", Tlp.GREEN);
        revoked.put("revoked", true);
        storeAt(a, revoked);
        // Deleting the other object from the collection recalls it.
        a.store().deleteObject(COLLECTION, idOf(other), VersionFilter.ALL, List.of());
        awaitFollowed(follower, a.store().events());
        a.service().deliverDue();

        for (ExchangeTestNode holder : List.of(b, c)) {
            JsonNode received = holder.inbound(idOf(green)).orElseThrow().object().tree();
            assertThat(received.path("revoked").asBoolean()).as("revoked at " + holder.id()).isTrue();
            assertThat(holder.inboundIds()).as("the deleted object is recalled from " + holder.id()).doesNotContain(idOf(other));
        }
        assertThat(a.service().propagationStatus(idOf(green))).extracting(Acknowledgement::partnerId, Acknowledgement::kind, Acknowledgement::acknowledged)
                .containsExactly(tuple("b", EnvelopeKind.RELEASE, true), tuple("c", EnvelopeKind.RELEASE, true));
        assertThat(a.service().recallStatus(idOf(other))).extracting(Acknowledgement::partnerId, Acknowledgement::acknowledged)
                .containsExactly(tuple("b", true), tuple("c", true));
    }

    @Test
    void aDeletionFromOneCollectionRecallsNothingWhileAnotherKeepsTheObject()
    {
        ObjectNode green = TestObjects.indicator(3, "2026-04-01T09:00:00.000Z", Tlp.GREEN);
        releasedToForum(List.of(green));
        String scratch = "scratch";
        a.store().createCollection(CollectionInfo.of(scratch, "Scratch copy"));
        a.store().addObjects(scratch, List.of(StixObject.fromJson(StixJson.compact(green))));
        Subscription follower = follow(a);

        a.store().deleteObject(scratch, idOf(green), VersionFilter.ALL, List.of());
        awaitFollowed(follower, a.store().events());
        a.service().deliverDue();
        assertThat(a.service().recallStatus(idOf(green))).as("no recall while the collection released from keeps it").isEmpty();

        // Deleted from the last collection that kept it: now it is recalled.
        a.store().deleteObject(COLLECTION, idOf(green), VersionFilter.ALL, List.of());
        awaitFollowed(follower, a.store().events());
        a.service().deliverDue();
        assertThat(a.service().recallStatus(idOf(green))).extracting(Acknowledgement::partnerId, Acknowledgement::acknowledged)
                .containsExactly(tuple("b", true), tuple("c", true));
        for (ExchangeTestNode holder : List.of(b, c)) {
            assertThat(holder.inboundIds()).as("recalled from " + holder.id()).doesNotContain(idOf(green));
        }
    }

    @Test
    void aWideningSendsNothingButRecallsWhereTheWiderVersionIsNowDenied()
    {
        // c may not have objects whose PAP is CLEAR: a widening from PAP:AMBER to PAP:CLEAR is denied to it.
        a.policy("{\"name\":\"a\",\"rules\":["
                + "{\"name\":\"forum gets green\",\"effect\":\"allow\",\"groups\":[\"forum\"],\"max_tlp\":\"green\"},"
                + "{\"name\":\"no clear pap to c\",\"effect\":\"deny\",\"partners\":[\"c\"],\"max_pap\":\"clear\"}]}");
        ObjectNode papAmber = TestObjects.marking(VigieMarking.empty().withPap(Pap.AMBER));
        ObjectNode papClear = TestObjects.marking(VigieMarking.empty().withPap(Pap.CLEAR));
        storeAt(a, papAmber);
        storeAt(a, papClear);
        ObjectNode green = TestObjects.indicator(4, "2026-04-01T09:00:00.000Z", Tlp.GREEN, papAmber.get("id").stringValue());
        releasedToForum(List.of(green));
        assertThat(b.inboundIds()).contains(idOf(green));
        assertThat(c.inboundIds()).contains(idOf(green));
        Subscription follower = follow(a);

        storeAt(a, TestObjects.indicator(4, "2026-04-01T11:00:00.000Z", Tlp.GREEN, papClear.get("id").stringValue()));
        awaitFollowed(follower, a.store().events());
        a.service().deliverDue();

        // b may have it still, but a widening is not sent: b keeps the version it got.
        assertThat(modified(b, idOf(green))).isEqualTo("2026-04-01T09:00:00.000Z");
        assertThat(c.inboundIds()).as("recalled from c, which may not have the wider version").doesNotContain(idOf(green));
        assertThat(a.service().recallStatus(idOf(green))).extracting(Acknowledgement::partnerId, Acknowledgement::acknowledged).containsExactly(tuple("c", true));
    }

    @Test
    void aHolderNoLongerRegisteredIsSkippedAndReported()
    {
        ObjectNode green = TestObjects.indicator(1, Tlp.GREEN);
        a.service().release(List.of(item(green)), ReleaseTargets.groups("forum"), "analyst");
        a.service().deliverDue();
        a.registry().removePartner("c");

        RecallResult result = a.service().recall(idOf(green), "false positive", "analyst");
        a.service().deliverDue();

        assertThat(result.recalledPartnerIds()).containsExactly("b");
        assertThat(result.skippedPartnerIds()).containsExactly("c");
        assertThat(b.inboundIds()).isEmpty();
        assertThat(a.service().recallStatus(idOf(green))).extracting(Acknowledgement::partnerId, Acknowledgement::acknowledged).containsExactly(tuple("b", true));
        assertThat(a.ledger().query(AuditQuery.all().withPartner("c").withKinds(Set.of(AuditKind.RECALL)))).singleElement()
                .satisfies(entry -> assertThat(entry.detail()).contains("no longer registered").contains("false positive"));
    }

    @Test
    void aPartnerThatReadTheObjectOverTaxiiIsRecalledToo()
            throws Exception
    {
        ObjectNode green = TestObjects.indicator(1, "2026-04-01T09:00:00.000Z", Tlp.GREEN);
        ObjectNode other = TestObjects.indicator(2, "2026-04-01T09:00:00.000Z", Tlp.GREEN);
        storeAt(a, green);
        storeAt(a, other);
        HttpResponse<String> read = get("c", a.baseUri().resolve("vigie/collections/" + COLLECTION + "/objects/"));
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).contains(idOf(green)).contains(idOf(other));
        assertThat(a.service().outbox("c")).as("nothing was pushed to c").isEmpty();

        // An explicit recall reaches the reader.
        RecallResult recalled = a.service().recall(idOf(green), "false positive", "analyst");
        a.service().deliverDue();
        assertThat(recalled.recalledPartnerIds()).containsExactly("c");
        assertThat(a.service().recallStatus(idOf(green))).extracting(Acknowledgement::partnerId, Acknowledgement::acknowledged).containsExactly(tuple("c", true));
        assertThat(a.service().recall(idOf(green), "again", "analyst").recalledPartnerIds()).as("once recalled, c no longer holds it").isEmpty();

        // So does a narrowing written to the store.
        Subscription follower = follow(a);
        storeAt(a, TestObjects.indicator(2, "2026-04-01T11:00:00.000Z", Tlp.AMBER));
        awaitFollowed(follower, a.store().events());
        a.service().deliverDue();
        assertThat(a.service().recallStatus(idOf(other))).extracting(Acknowledgement::partnerId, Acknowledgement::acknowledged).containsExactly(tuple("c", true));
    }

    @Test
    void aRestartedFollowerResumesFromItsSavedCursorWithoutLossOrDuplicate()
    {
        List<ObjectNode> objects = List.of(
                TestObjects.indicator(1, "2026-04-01T09:00:00.000Z", Tlp.GREEN),
                TestObjects.indicator(2, "2026-04-01T09:00:00.000Z", Tlp.GREEN),
                TestObjects.indicator(3, "2026-04-01T09:00:00.000Z", Tlp.GREEN));
        releasedToForum(objects);
        Subscription follower = follow(a);
        Cursor beforeFirst = a.store().events().end();
        storeAt(a, TestObjects.indicator(1, "2026-04-01T11:00:00.000Z", Tlp.AMBER));
        awaitFollowed(follower, a.store().events());
        assertThat(a.service().outbox("c")).extracting(OutboxEntry::kind).containsExactly(EnvelopeKind.RELEASE, EnvelopeKind.RECALL);
        follower.close();
        followers.remove(follower);

        // Written while no follower runs, then a crash that lost the cursor saved after the first change.
        storeAt(a, TestObjects.indicator(2, "2026-04-01T11:00:00.000Z", Tlp.AMBER));
        storeAt(a, TestObjects.indicator(3, "2026-04-01T11:00:00.000Z", Tlp.AMBER));
        a.store().events().saveCursor(StoreFollower.CONSUMER, beforeFirst);
        a.restart();
        follower = follow(a);
        awaitFollowed(follower, a.store().events());
        a.service().deliverDue();

        assertThat(a.service().outbox("c")).extracting(OutboxEntry::kind).containsExactly(EnvelopeKind.RELEASE, EnvelopeKind.RECALL, EnvelopeKind.RECALL, EnvelopeKind.RECALL);
        assertThat(a.service().outbox("b")).extracting(OutboxEntry::kind).containsExactly(EnvelopeKind.RELEASE, EnvelopeKind.RELEASE, EnvelopeKind.RELEASE, EnvelopeKind.RELEASE);
        for (ObjectNode object : objects) {
            assertThat(a.service().recallStatus(idOf(object))).as("one recall of " + idOf(object)).singleElement()
                    .satisfies(acknowledgement -> assertThat(acknowledgement.acknowledged()).isTrue());
            assertThat(modified(b, idOf(object))).isEqualTo("2026-04-01T11:00:00.000Z");
        }
        assertThat(c.inboundIds()).isEmpty();
    }

    @Test
    void twoFollowersOnOneDatabaseSendEachChangeOnce()
    {
        ObjectNode green = TestObjects.indicator(1, "2026-04-01T09:00:00.000Z", Tlp.GREEN);
        releasedToForum(List.of(green));
        // A second service on the same exchange database and store, as a replica would be.
        try (ExchangeService replica = ExchangeService.create(ExchangeConfig.defaults(), new LocalNode(a.identityId(), a.key()), a.database(), a.store(), a.registry(),
                a.ledger(), () -> ReleaseDecider.of(ReleasePolicy.fromJson(ForumNodes.POLICY_OF_A)), clock, new Random(7))) {
            Subscription first = follow(a);
            Subscription second = replica.followStore(a.store().events(), () -> {});
            followers.add(second);
            for (int version = 10; version < 14; version++) {
                Tlp tlp = version % 2 == 0 ? Tlp.AMBER : Tlp.AMBER_STRICT;
                storeAt(a, TestObjects.indicator(1, "2026-04-01T" + version + ":00:00.000Z", tlp));
            }
            awaitFollowed(first, a.store().events());
            awaitFollowed(second, a.store().events());
        }

        // GREEN to AMBER, to AMBER+STRICT (narrowings: each sent once to b; c recalled once), to AMBER (a widening:
        // nothing), to AMBER+STRICT (a narrowing again).
        assertThat(a.service().outbox("b")).extracting(OutboxEntry::kind)
                .containsExactly(EnvelopeKind.RELEASE, EnvelopeKind.RELEASE, EnvelopeKind.RELEASE, EnvelopeKind.RELEASE);
        assertThat(a.service().outbox("c")).extracting(OutboxEntry::kind).containsExactly(EnvelopeKind.RELEASE, EnvelopeKind.RECALL);
        assertThat(a.ledger().verify().valid()).isTrue();
    }

    /** Stores the objects at a, releases the collection to the forum (b and c) and delivers. */
    private void releasedToForum(List<ObjectNode> objects)
    {
        objects.forEach(object -> storeAt(a, object));
        a.service().releaseCollection(COLLECTION, ReleaseTargets.groups("forum"), "analyst");
        a.service().deliverDue();
    }

    private Subscription follow(ExchangeTestNode node)
    {
        Subscription follower = node.service().followStore(node.store().events(), () -> {});
        followers.add(follower);
        return follower;
    }

    /** Polls until the follower has handled every event committed so far, or fails at the deadline. */
    private static void awaitFollowed(Subscription follower, EventLog events)
    {
        Cursor end = events.end();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!reached(follower.position(), end)) {
            assertThat(follower.failure()).as("the follower failed").isEmpty();
            assertThat(System.nanoTime()).as("the follower reaches " + end + " within " + DEADLINE).isLessThan(deadline);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    private static boolean reached(Cursor position, Cursor end)
    {
        return end.positions().entrySet().stream().allMatch(entry -> position.position(entry.getKey()).orElse(0) >= entry.getValue());
    }

    private static void storeAt(ExchangeTestNode node, ObjectNode object)
    {
        node.store().addObjects(COLLECTION, List.of(StixObject.fromJson(StixJson.compact(object))));
    }

    private static String modified(ExchangeTestNode node, String objectId)
    {
        return node.inbound(objectId).orElseThrow(() -> new AssertionError(objectId + " is not at " + node.id())).object().tree().path("modified").asString("");
    }

    private static ReleaseItem item(JsonNode object)
    {
        return new ReleaseItem(object, Optional.empty());
    }

    private HttpResponse<String> get(String clientName, URI uri)
            throws Exception
    {
        return nodes.client(clientName).send(HttpRequest.newBuilder(uri).header("Accept", "application/taxii+json;version=2.1").GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
