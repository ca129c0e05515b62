package org.vigie.exchange.service;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.marking.Tlp;
import org.vigie.exchange.testing.MutableClock;
import org.vigie.exchange.testing.TestObjects;
import org.vigie.stix.StixObject;
import org.vigie.stix.json.StixJson;
import org.vigie.store.CollectionInfo;
import org.vigie.store.ObjectStore;
import org.vigie.store.ObjectStores;
import org.vigie.store.events.Cursor;
import org.vigie.store.events.Event;
import org.vigie.store.events.Subscription;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store follower over a real (in-memory) store's event log: a batch whose propagation fails is tried again
 * until it passes, then the cursor moves past it, so a narrowing is not left for the node's next start; closed while
 * failing, it keeps its cursor before the batch.
 */
class StoreFollowerTest
{
    private static final String COLLECTION = "3a0c1f4e-2b7d-4c59-8e61-0d9a4b3c2e10";
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final ObjectStore store = ObjectStores.inMemory(new MutableClock(Instant.parse("2026-04-01T10:00:00Z")));
    private final List<Subscription> followers = new ArrayList<>();

    @AfterEach
    void close()
    {
        followers.forEach(Subscription::close);
        store.close();
    }

    @Test
    void aFailedBatchIsCarriedOnceTheFailurePasses()
    {
        store.createCollection(CollectionInfo.of(COLLECTION, "intel"));
        AtomicInteger attempts = new AtomicInteger();
        List<String> carried = new ArrayList<>();
        AtomicInteger queued = new AtomicInteger();
        Subscription follower = follow(events -> {
            if (attempts.incrementAndGet() <= 2) {
                throw new VigieException(ErrorCode.STORE_UNAVAILABLE, "exchange database away (test)");
            }
            synchronized (carried) {
                events.forEach(event -> carried.add(event.objectId()));
            }
            return true;
        }, queued::incrementAndGet);
        store.addObjects(COLLECTION, List.of(indicator(1)));

        await(() -> queued.get() == 1, "the batch carried after two failures");
        assertThat(attempts.get()).isEqualTo(3);
        synchronized (carried) {
            assertThat(carried).containsExactly(TestObjects.id("indicator", 1));
        }
        assertThat(follower.isRunning()).isTrue();
        assertThat(follower.failure()).isEmpty();
        await(() -> store.events().savedCursor(StoreFollower.CONSUMER).orElseThrow().equals(store.events().end()), "the cursor saved past the batch");
    }

    @Test
    void closedWhileFailingKeepsItsCursorBeforeTheBatch()
    {
        store.createCollection(CollectionInfo.of(COLLECTION, "intel"));
        AtomicInteger attempts = new AtomicInteger();
        Subscription follower = follow(events -> {
            attempts.incrementAndGet();
            throw new VigieException(ErrorCode.STORE_UNAVAILABLE, "exchange database away (test)");
        }, () -> { });
        Cursor before = store.events().savedCursor(StoreFollower.CONSUMER).orElseThrow();
        store.addObjects(COLLECTION, List.of(indicator(2)));
        await(() -> attempts.get() >= 2, "the failing batch tried again");

        follower.close();
        assertThat(follower.isRunning()).isFalse();
        assertThat(store.events().savedCursor(StoreFollower.CONSUMER)).contains(before);
    }

    private Subscription follow(java.util.function.Predicate<List<Event>> propagation, Runnable queued)
    {
        // A short pause: the test waits for the retries, it does not time them.
        Subscription follower = StoreFollower.start(store.events(), propagation, queued, Duration.ofMillis(20));
        followers.add(follower);
        return follower;
    }

    private static StixObject indicator(int number)
    {
        return StixObject.fromJson(StixJson.compact(TestObjects.indicator(number, Tlp.GREEN)));
    }

    private static void await(BooleanSupplier condition, String what)
    {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " within " + DEADLINE).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }
}
