package org.vigie.store.events;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.stix.StixObject;
import org.vigie.store.AddOutcome;
import org.vigie.store.CollectionInfo;
import org.vigie.store.ObjectQuery;
import org.vigie.store.ObjectStore;
import org.vigie.store.StoreFaults;
import org.vigie.store.TestClock;
import org.vigie.store.VersionFilter;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vigie.store.TestObjects.newId;
import static org.vigie.store.TestObjects.unversioned;
import static org.vigie.store.TestObjects.version;

/**
 * The behaviour every {@link EventLog} must have. Subclasses supply a fresh store per test and the log under
 * test over it (the store's own log by default; Kafka relays the store's log to a broker and reads it back).
 */
public abstract class EventLogContractTest
{
    protected static final String COLLECTION = "6f0f1d3e-7a51-4d1b-9a57-3e1c2b5d8a01";
    protected static final String OTHER_COLLECTION = "0c2d7e55-19f4-4b7e-8d8b-6a4f3c2e1b02";
    protected static final Instant START = Instant.parse("2024-05-01T10:00:00.123456Z");
    protected static final Instant T1 = Instant.parse("2021-01-01T00:00:00Z");
    protected static final Instant T2 = Instant.parse("2021-01-02T00:00:00Z");
    // Generous: the Kafka log delivers through a relay and a broker, on a loaded machine.
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    protected TestClock clock;
    protected ObjectStore store;
    protected EventLog log;
    private final List<EventLog> opened = new ArrayList<>();

    /** A new, empty store using {@code clock}. */
    protected abstract ObjectStore createStore(InstantSource clock);

    /** The log under test over {@code store}: a new consumer of it, as a reconnecting process would open. */
    protected EventLog openLog(ObjectStore store)
    {
        return store.events();
    }

    /** Releases what {@link #openLog} opened. */
    protected void closeLog(EventLog log) {}

    /** Whether the log orders all events (the store's logs) or only the events of each object (Kafka). */
    protected boolean totallyOrdered()
    {
        return true;
    }

    @BeforeEach
    public void openStoreAndLog()
    {
        clock = new TestClock(START);
        store = createStore(clock);
        store.createCollection(CollectionInfo.of(COLLECTION, "Main"));
        store.createCollection(CollectionInfo.of(OTHER_COLLECTION, "Other"));
        log = open();
    }

    @AfterEach
    public void closeStoreAndLog()
    {
        try {
            for (EventLog each : opened) {
                closeLog(each);
            }
        }
        finally {
            store.close();
        }
    }

    private EventLog open()
    {
        EventLog each = openLog(store);
        opened.add(each);
        return each;
    }

    @Test
    public void everyStoredAndDeletedVersionIsAnEvent()
    {
        String a = newId("indicator");
        String b = newId("malware");
        String c = newId("ipv4-addr");
        List<Change> expected = new ArrayList<>();
        expected.addAll(added(COLLECTION, store.addObjects(COLLECTION, List.of(version(a, T1, "a1"), version(b, T1, "b1"), unversioned(c, "10.0.0.1")))));
        clock.advance(Duration.ofSeconds(1));
        // The duplicate of (a, T1) adds no event.
        List<AddOutcome> second = store.addObjects(COLLECTION, List.of(version(a, T1, "a1"), version(a, T2, "a2")));
        assertThat(second.get(0).result()).isEqualTo(AddOutcome.Result.DUPLICATE);
        expected.addAll(added(COLLECTION, second));
        expected.addAll(added(OTHER_COLLECTION, store.addObjects(OTHER_COLLECTION, List.of(version(a, T1, "a1 elsewhere")))));
        assertThat(store.deleteObject(COLLECTION, a, VersionFilter.ALL, List.of())).isEqualTo(2);
        expected.add(new Change(COLLECTION, a, Optional.of(T1), Event.Kind.DELETED, expected.get(0).dateAdded()));
        expected.add(new Change(COLLECTION, a, Optional.of(T2), Event.Kind.DELETED, second.get(1).dateAdded()));
        assertThat(store.deleteObject(COLLECTION, a, VersionFilter.ALL, List.of())).isZero();

        assertThat(expected).hasSize(7);
        assertSameChanges(readUntil(log, log.beginning(), expected.size(), 100).events(), expected);
    }

    @Test
    public void reconnectingConsumerSeesEveryEventExactlyOnce()
    {
        long seed = Long.getLong("vigie.seed", 20_240_501L);
        Random random = new Random(seed);
        List<String> ids = new ArrayList<>();
        List<Change> expected = new ArrayList<>();
        List<Event> seen = new ArrayList<>();
        EventLog consumer = log;
        Cursor cursor = consumer.beginning();
        int reconnects = 0;
        for (int round = 0; round < 40; round++) {
            clock.advance(Duration.ofMillis(1 + random.nextInt(1_000)));
            String collection = random.nextBoolean() ? COLLECTION : OTHER_COLLECTION;
            if (ids.isEmpty() || random.nextInt(5) != 0) {
                List<StixObject> batch = new ArrayList<>();
                for (int index = 1 + random.nextInt(6); index > 0; index--) {
                    String id = ids.isEmpty() || random.nextInt(3) == 0 ? newId("indicator") : ids.get(random.nextInt(ids.size()));
                    if (!ids.contains(id)) {
                        ids.add(id);
                    }
                    batch.add(version(id, T1.plusSeconds(random.nextInt(20)), "round " + round));
                }
                expected.addAll(added(collection, store.addObjects(collection, batch)));
            }
            else {
                String id = ids.get(random.nextInt(ids.size()));
                Map<Instant, Instant> present = new LinkedHashMap<>();
                store.findObjects(collection, ObjectQuery.all(100).withIds(List.of(id)).withVersions(VersionFilter.ALL))
                        .objects()
                        .forEach(stored -> present.put(stored.object().version().orElseThrow(), stored.dateAdded()));
                assertThat(store.deleteObject(collection, id, VersionFilter.ALL, List.of())).isEqualTo(present.size());
                present.entrySet().stream()
                        .sorted(Map.Entry.comparingByValue())
                        .forEach(entry -> expected.add(new Change(collection, id, Optional.of(entry.getKey()), Event.Kind.DELETED, entry.getValue())));
            }
            for (int read = random.nextInt(4); read > 0; read--) {
                EventBatch batch = consumer.poll(cursor, 1 + random.nextInt(5));
                seen.addAll(batch.events());
                cursor = batch.next();
            }
            if (random.nextInt(6) == 0) {
                // Reconnect: a new consumer resumes from the cursor's text, saved where the log keeps cursors.
                consumer.saveCursor("reconnecting", cursor);
                consumer = open();
                cursor = Cursor.decode(consumer.savedCursor("reconnecting").orElseThrow().encode());
                reconnects++;
            }
        }
        seen.addAll(readUntil(consumer, cursor, expected.size() - seen.size(), 1 + random.nextInt(5)).events());
        assertThat(reconnects).as("seed %s reconnects", seed).isPositive();
        assertSameChanges(seen, expected);
    }

    @Test
    public void concurrentWritersKeepTheOrderOfEachObject()
            throws Exception
    {
        int writers = 4;
        int rounds = 10;
        int objectsPerWriter = 5;
        ExecutorService executor = Executors.newFixedThreadPool(writers);
        try {
            List<Future<List<Change>>> futures = new ArrayList<>();
            for (int writer = 0; writer < writers; writer++) {
                String collection = writer % 2 == 0 ? COLLECTION : OTHER_COLLECTION;
                futures.add(executor.submit(() -> {
                    List<String> ids = new ArrayList<>();
                    for (int index = 0; index < objectsPerWriter; index++) {
                        ids.add(newId("malware"));
                    }
                    List<Change> changes = new ArrayList<>();
                    for (int round = 0; round < rounds; round++) {
                        List<StixObject> batch = new ArrayList<>();
                        for (String id : ids) {
                            batch.add(version(id, T1.plusSeconds(round), "round " + round));
                        }
                        changes.addAll(added(collection, store.addObjects(collection, batch)));
                    }
                    return changes;
                }));
            }
            List<Change> expected = new ArrayList<>();
            for (Future<List<Change>> future : futures) {
                expected.addAll(future.get());
            }
            assertThat(expected).hasSize(writers * rounds * objectsPerWriter);
            List<Event> events = readUntil(log, log.beginning(), expected.size(), 17).events();
            // Each writer wrote its objects' versions in time order: every object's events must show them so.
            Map<String, List<Instant>> versionsByObject = new LinkedHashMap<>();
            for (Event event : events) {
                versionsByObject.computeIfAbsent(event.objectId(), id -> new ArrayList<>()).add(event.version().orElseThrow());
            }
            assertThat(versionsByObject).hasSize(writers * objectsPerWriter);
            versionsByObject.values().forEach(versions -> assertThat(versions).hasSize(rounds).isSorted());
            assertThat(changes(events)).containsExactlyInAnyOrderElementsOf(expected);
            if (totallyOrdered()) {
                assertThat(events).extracting(Event::sequence).containsExactlyElementsOf(sequences(1, expected.size()));
            }
        }
        finally {
            executor.shutdownNow();
        }
    }

    @Test
    public void rolledBackWritesProduceNoEvent()
    {
        String rolledBack = newId("indicator");
        String kept = newId("indicator");
        String later = newId("tool");
        Cursor from = log.end();
        StoreFaults.failNextWrite(store, new IllegalStateException("injected failure"));
        assertThatThrownBy(() -> store.addObjects(COLLECTION, List.of(version(rolledBack, T1, "never"))))
                .hasMessageContaining("injected failure");
        assertThat(store.findObjects(COLLECTION, ObjectQuery.all(10).withIds(List.of(rolledBack))).objects()).isEmpty();

        List<Change> expected = new ArrayList<>(added(COLLECTION, store.addObjects(COLLECTION, List.of(version(kept, T1, "kept")))));
        StoreFaults.failNextWrite(store, new IllegalStateException("injected failure"));
        assertThatThrownBy(() -> store.deleteObject(COLLECTION, kept, VersionFilter.ALL, List.of()))
                .hasMessageContaining("injected failure");
        assertThat(store.countObjects(COLLECTION)).isEqualTo(1);
        expected.addAll(added(COLLECTION, store.addObjects(COLLECTION, List.of(version(later, T1, "later")))));

        EventBatch read = readUntil(log, from, expected.size(), 10);
        assertSameChanges(read.events(), expected);
        if (totallyOrdered()) {
            // A rolled-back write takes no sequence either: the log has no holes a reader would wait on.
            assertThat(read.events()).extracting(Event::sequence).containsExactly(1L, 2L);
        }
    }

    @Test
    public void subscribersReceiveCommittedChangesAndResumeFromTheirPosition()
    {
        Received received = new Received();
        List<String> invisible = Collections.synchronizedList(new ArrayList<>());
        EventListener listener = batch -> {
            for (Event event : batch.events()) {
                // Delivered only after commit: the change is already visible to any reader of the store.
                boolean visible = !store.findObjects(event.collectionId(), ObjectQuery.all(10).withIds(List.of(event.objectId())).withVersions(VersionFilter.ALL)).objects().isEmpty();
                if (!visible) {
                    invisible.add(event.objectId());
                }
            }
            received.add(batch.events());
        };
        List<Change> expected = new ArrayList<>();
        Subscription subscription = log.subscribe(log.beginning(), listener);
        try {
            for (int round = 0; round < 3; round++) {
                clock.advance(Duration.ofMillis(10));
                expected.addAll(added(COLLECTION, store.addObjects(COLLECTION, List.of(version(newId("indicator"), T1, "one"), version(newId("indicator"), T1, "two")))));
            }
            received.awaitAtLeast(6);
            assertThat(subscription.isRunning()).isTrue();
            assertThat(subscription.failure()).isEmpty();
        }
        finally {
            subscription.close();
        }
        // After close the position is final: just past the last batch the listener returned from.
        Cursor position = Cursor.decode(subscription.position().encode());
        assertThat(invisible).isEmpty();
        assertSameChanges(received.events(), expected);

        List<Change> later = added(OTHER_COLLECTION, store.addObjects(OTHER_COLLECTION, List.of(version(newId("tool"), T2, "three"), version(newId("tool"), T2, "four"))));
        Received resumed = new Received();
        try (Subscription resumedSubscription = log.subscribe(position, batch -> resumed.add(batch.events()))) {
            resumed.awaitAtLeast(2);
            assertThat(resumedSubscription.failure()).isEmpty();
        }
        assertSameChanges(resumed.events(), later);
    }

    @Test
    public void aFailingListenerEndsItsSubscription()
    {
        Received failures = new Received();
        Subscription subscription = log.subscribe(log.beginning(), batch -> {
            failures.add(batch.events());
            throw new IllegalStateException("listener broke");
        });
        try {
            store.addObjects(COLLECTION, List.of(version(newId("indicator"), T1, "x")));
            failures.awaitAtLeast(1);
            // No sleep: the failure is recorded by the delivery thread right after the listener returns.
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (subscription.isRunning() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(subscription.isRunning()).isFalse();
            assertThat(subscription.failure()).get().extracting(Throwable::getMessage).isEqualTo("listener broke");
            assertThat(subscription.position()).isEqualTo(log.beginning());
        }
        finally {
            subscription.close();
        }
    }

    @Test
    public void endSkipsPastEventsAndCursorsAreKeptByName()
    {
        store.addObjects(COLLECTION, List.of(version(newId("indicator"), T1, "old"), version(newId("indicator"), T1, "old")));
        Cursor end = log.end();
        clock.advance(Duration.ofSeconds(1));
        List<Change> expected = added(COLLECTION, store.addObjects(COLLECTION, List.of(version(newId("tool"), T1, "new"))));
        EventBatch read = readUntil(log, Cursor.decode(end.encode()), 1, 10);
        assertSameChanges(read.events(), expected);

        assertThat(log.savedCursor("stream-1")).isEmpty();
        log.saveCursor("stream-1", end);
        assertThat(log.savedCursor("stream-1")).contains(end);
        log.saveCursor("stream-1", read.next());
        assertThat(log.savedCursor("stream-1")).contains(read.next());
        assertThat(log.poll(read.next(), 10).events()).isEmpty();

        assertThatThrownBy(() -> Cursor.decode("not-a-cursor"))
                .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.EVENT_CURSOR_INVALID))
                .hasMessageContaining("not-a-cursor");
        assertThatThrownBy(() -> log.poll(Cursor.of(Map.of("elsewhere", 3L)), 10))
                .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.EVENT_CURSOR_INVALID));
        assertThatThrownBy(() -> log.poll(end, 0))
                .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    }

    @Test
    public void readingOneKindPassesOverTheOthers()
    {
        String a = newId("indicator");
        String b = newId("indicator");
        String c = newId("malware");
        store.addObjects(COLLECTION, List.of(version(a, T1, "a1"), version(b, T1, "b1"), version(c, T1, "c1")));
        List<AddOutcome> bAgain = store.addObjects(COLLECTION, List.of(version(b, T2, "b2")));
        clock.advance(Duration.ofSeconds(1));
        List<Change> deletions = new ArrayList<>();
        Instant aAdded = store.findObjects(COLLECTION, ObjectQuery.all(10).withIds(List.of(a))).objects().get(0).dateAdded();
        assertThat(store.deleteObject(COLLECTION, a, VersionFilter.ALL, List.of())).isEqualTo(1);
        deletions.add(new Change(COLLECTION, a, Optional.of(T1), Event.Kind.DELETED, aAdded));
        store.addObjects(OTHER_COLLECTION, List.of(version(newId("tool"), T1, "t1")));
        assertThat(store.deleteObject(COLLECTION, b, VersionFilter.LAST, List.of())).isEqualTo(1);
        deletions.add(new Change(COLLECTION, b, Optional.of(T2), Event.Kind.DELETED, bAgain.get(0).dateAdded()));
        store.addObjects(COLLECTION, List.of(version(newId("tool"), T2, "after the deletions")));

        // Batches of one: a full batch must not skip the next deletion.
        EventBatch read = readKindUntil(log, log.beginning(), Event.Kind.DELETED, deletions.size(), 1);
        assertThat(read.events()).extracting(Event::kind).containsOnly(Event.Kind.DELETED);
        assertSameChanges(read.events(), deletions);
        assertThat(log.poll(read.next(), Event.Kind.DELETED, 10).events()).isEmpty();

        // Reading by kind moves the cursor past the additions that follow, so reading everything from there finds none.
        Cursor passed = cursorPastEverything(log, read.next(), Event.Kind.DELETED);
        assertThat(log.poll(passed, 100).events()).isEmpty();
        assertThat(log.poll(log.beginning(), Event.Kind.ADDED, 100).events()).extracting(Event::kind).containsOnly(Event.Kind.ADDED);
        assertThatThrownBy(() -> log.poll(log.beginning(), Event.Kind.DELETED, 0))
                .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    }

    @Test
    public void aSubscriptionToOneKindReportsHowFarItHasRead()
    {
        Received deletions = new Received();
        List<Cursor> reported = Collections.synchronizedList(new ArrayList<>());
        String doomed = newId("indicator");
        store.addObjects(COLLECTION, List.of(version(doomed, T1, "to be deleted")));
        try (Subscription subscription = log.subscribe(log.beginning(), Event.Kind.DELETED, batch -> {
            reported.add(batch.next());
            deletions.add(batch.events());
        })) {
            clock.advance(Duration.ofSeconds(1));
            assertThat(store.deleteObject(COLLECTION, doomed, VersionFilter.ALL, List.of())).isEqualTo(1);
            for (int round = 0; round < 3; round++) {
                store.addObjects(COLLECTION, List.of(version(newId("malware"), T1, "added " + round)));
            }
            deletions.awaitAtLeast(1);
            // Only additions follow the deletion: the listener still hears that they were read past.
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (reported.isEmpty() || !log.poll(reported.get(reported.size() - 1), 100).events().isEmpty()) {
                assertThat(System.nanoTime()).as("the subscription reported no cursor past the last additions").isLessThan(deadline);
                assertThat(subscription.failure()).isEmpty();
                Thread.onSpinWait();
            }
            assertThat(subscription.failure()).isEmpty();
        }
        assertThat(deletions.events()).hasSize(1);
        assertThat(deletions.events().get(0).objectId()).isEqualTo(doomed);
        assertThat(deletions.events().get(0).kind()).isEqualTo(Event.Kind.DELETED);
    }

    /** Reads {@code count} events of {@code kind} after {@code from} in batches of at most {@code batchSize}, waiting up to the deadline. */
    private static EventBatch readKindUntil(EventLog log, Cursor from, Event.Kind kind, int count, int batchSize)
    {
        List<Event> events = new ArrayList<>();
        Cursor cursor = from;
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (events.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("read " + events.size() + " of " + count + " " + kind + " events within " + DEADLINE + ": " + events);
            }
            EventBatch batch = log.poll(cursor, kind, batchSize);
            assertThat(batch.events().size()).isLessThanOrEqualTo(batchSize);
            events.addAll(batch.events());
            cursor = batch.next();
        }
        assertThat(events).as("more events than expected").hasSize(count);
        return new EventBatch(events, cursor);
    }

    /** Polls by {@code kind} from {@code from} until the cursor is past every event committed so far (it moves without events). */
    private static Cursor cursorPastEverything(EventLog log, Cursor from, Event.Kind kind)
    {
        Cursor cursor = from;
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!log.poll(cursor, 100).events().isEmpty()) {
            assertThat(System.nanoTime()).as("reading %s events did not move past the others", kind).isLessThan(deadline);
            EventBatch batch = log.poll(cursor, kind, 100);
            assertThat(batch.events()).isEmpty();
            cursor = batch.next();
        }
        return cursor;
    }

    /** Reads {@code count} events after {@code from} in batches of at most {@code batchSize}, waiting up to the deadline. */
    protected static EventBatch readUntil(EventLog log, Cursor from, int count, int batchSize)
    {
        List<Event> events = new ArrayList<>();
        Cursor cursor = from;
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (events.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("read " + events.size() + " of " + count + " events within " + DEADLINE + ": " + events);
            }
            EventBatch batch = log.poll(cursor, batchSize);
            assertThat(batch.events().size()).isLessThanOrEqualTo(batchSize);
            events.addAll(batch.events());
            cursor = batch.next();
        }
        assertThat(events).as("more events than expected").hasSize(count);
        return new EventBatch(events, cursor);
    }

    /** Same changes, each exactly once, in the order of each object (and overall when the log is totally ordered). */
    protected void assertSameChanges(List<Event> actual, List<Change> expected)
    {
        Set<Long> sequences = new HashSet<>();
        for (Event event : actual) {
            assertThat(sequences.add(event.sequence())).as("sequence %s delivered twice in %s", event.sequence(), actual).isTrue();
        }
        List<Change> changes = changes(actual);
        assertThat(changes).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(byObject(changes)).isEqualTo(byObject(expected));
        if (totallyOrdered()) {
            assertThat(changes).containsExactlyElementsOf(expected);
            assertThat(actual).extracting(Event::sequence).isSorted();
        }
    }

    private static Map<String, List<Change>> byObject(List<Change> changes)
    {
        Map<String, List<Change>> grouped = new LinkedHashMap<>();
        changes.stream()
                .sorted((left, right) -> (left.collectionId() + left.objectId()).compareTo(right.collectionId() + right.objectId()))
                .forEach(change -> grouped.computeIfAbsent(change.collectionId() + "/" + change.objectId(), key -> new ArrayList<>()).add(change));
        return grouped;
    }

    private static List<Change> changes(List<Event> events)
    {
        return events.stream().map(event -> new Change(event.collectionId(), event.objectId(), event.version(), event.kind(), event.dateAdded())).toList();
    }

    private static List<Change> added(String collectionId, List<AddOutcome> outcomes)
    {
        return outcomes.stream()
                .filter(outcome -> outcome.result() == AddOutcome.Result.STORED)
                .map(outcome -> new Change(collectionId, outcome.id(), outcome.version(), Event.Kind.ADDED, outcome.dateAdded()))
                .toList();
    }

    private static List<Long> sequences(long first, int count)
    {
        List<Long> sequences = new ArrayList<>();
        for (int index = 0; index < count; index++) {
            sequences.add(first + index);
        }
        return sequences;
    }

    /** An event without its sequence: what a test can predict from the store's answers. */
    protected record Change(String collectionId, String objectId, Optional<Instant> version, Event.Kind kind, Instant dateAdded) {}

    /** Events handed to a listener; the test waits on it with a deadline instead of sleeping. */
    private static final class Received
    {
        private final List<Event> events = new ArrayList<>();

        synchronized void add(List<Event> batch)
        {
            events.addAll(batch);
            notifyAll();
        }

        synchronized List<Event> events()
        {
            return List.copyOf(events);
        }

        synchronized void awaitAtLeast(int count)
        {
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (events.size() < count) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new AssertionError("received " + events.size() + " of " + count + " events within " + DEADLINE + ": " + events);
                }
                try {
                    wait(Math.max(1, remaining / 1_000_000));
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
        }
    }
}
