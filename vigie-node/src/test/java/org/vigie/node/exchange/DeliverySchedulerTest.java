package org.vigie.node.exchange;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.error.VigieException;
import org.vigie.exchange.service.DeliveryReport;
import org.vigie.store.ObjectStore;
import org.vigie.store.ObjectStores;
import org.vigie.store.StoreConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeliverySchedulerTest
{
    private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-03-01T10:00:00Z"));

    @Test
    void deliverSoonRunsARoundAndAFailingRoundDoesNotStopTheSchedule()
            throws Exception
    {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch firstRound = new CountDownLatch(1);
        CountDownLatch twoRounds = new CountDownLatch(2);
        // The interval is an hour: only deliverSoon can cause these rounds.
        DeliveryScheduler scheduler = new DeliveryScheduler(() -> {
            int call = calls.incrementAndGet();
            firstRound.countDown();
            twoRounds.countDown();
            if (call == 1) {
                throw new IllegalStateException("partner down");
            }
            return new DeliveryReport(1, 1, 0, List.of());
        }, Duration.ofHours(1));
        try {
            scheduler.deliverSoon();
            // A request made while no round is waiting is not merged into the one in progress.
            assertThat(firstRound.await(30, TimeUnit.SECONDS)).isTrue();
            scheduler.deliverSoon();
            assertThat(twoRounds.await(30, TimeUnit.SECONDS)).isTrue();
        }
        finally {
            scheduler.close();
        }
        assertThat(calls.get()).isEqualTo(2);
        scheduler.deliverSoon();
        assertThat(calls.get()).as("no round after close").isEqualTo(2);
    }

    @Test
    void aRoundThatLeavesAPartnerBehindIsFollowedByAnotherAtOnce()
            throws Exception
    {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch fourRounds = new CountDownLatch(4);
        // The interval is an hour: one deliverSoon, then only "behind" reports can cause more rounds.
        DeliveryScheduler scheduler = new DeliveryScheduler(() -> {
            int call = calls.incrementAndGet();
            fourRounds.countDown();
            return new DeliveryReport(100, 100, 0, List.of(), call < 4 ? List.of("b") : List.of());
        }, Duration.ofHours(1));
        try {
            scheduler.deliverSoon();
            assertThat(fourRounds.await(30, TimeUnit.SECONDS)).isTrue();
        }
        finally {
            scheduler.close();
        }
        assertThat(calls.get()).as("the fourth round left nobody behind, so no fifth").isEqualTo(4);
    }

    @Test
    void wiringOpensTheExchangeOfADataDirectory(@TempDir Path directory)
    {
        try (ObjectStore store = ObjectStores.sqlite(directory.resolve("vigie.db"), CLOCK)) {
            String identityId;
            try (ExchangeWiring wiring = ExchangeWiring.open(directory, StoreConfig.sqlite(directory.resolve("vigie.db")), store, Map.of("exchange.delivery.interval-milliseconds", "3600000", "store.url", "ignored"), CLOCK)) {
                identityId = wiring.identityId();
                assertThat(identityId).startsWith("identity--");
                assertThat(wiring.publicSigningKey().isPrivate()).isFalse();
                assertThat(wiring.routes()).isNotNull();
                assertThat(wiring.policy().name()).isEqualTo("deny-all");
                assertThat(directory.resolve("exchange.db")).exists();
            }
            try (ExchangeWiring reopened = ExchangeWiring.open(directory, StoreConfig.sqlite(directory.resolve("vigie.db")), store, Map.of(), CLOCK)) {
                assertThat(reopened.identityId()).as("the identity survives a restart").isEqualTo(identityId);
            }
            assertThatThrownBy(() -> ExchangeWiring.open(directory, StoreConfig.sqlite(directory.resolve("vigie.db")), store, Map.of("exchange.delivery.interval-milliseconds", "often"), CLOCK))
                    .isInstanceOf(VigieException.class)
                    .hasMessage("configuration key 'exchange.delivery.interval-milliseconds' = 'often': is not a whole number");
            assertThatThrownBy(() -> ExchangeWiring.open(directory, StoreConfig.sqlite(directory.resolve("vigie.db")), store, Map.of("exchange.outbox.retry-maximum", "5"), CLOCK))
                    .isInstanceOf(VigieException.class)
                    .hasMessageContaining("exchange.outbox.retry-maximum");
        }
    }
}
