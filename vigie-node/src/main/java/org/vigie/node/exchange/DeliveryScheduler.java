package org.vigie.node.exchange;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.exchange.service.DeliveryReport;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Runs delivery rounds on one thread: every {@code interval}, and as soon as possible after
 * {@link #deliverSoon()} (called after each release, for an immediate push). Requests made while a
 * round is waiting to run are merged into it. A failing round is logged and the schedule goes on.
 */
final class DeliveryScheduler
        implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryScheduler.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private final Supplier<DeliveryReport> round;
    private final ScheduledExecutorService executor;
    private final AtomicBoolean requested = new AtomicBoolean();
    private final AtomicLong rounds = new AtomicLong();

    DeliveryScheduler(Supplier<DeliveryReport> round, Duration interval)
    {
        this.round = requireNonNull(round, "round is null");
        requireNonNull(interval, "interval is null");
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "vigie-exchange-delivery");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::runRound, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Asks for a round now (after a release); returns at once. */
    void deliverSoon()
    {
        if (requested.compareAndSet(false, true) && !executor.isShutdown()) {
            executor.execute(() -> {
                requested.set(false);
                runRound();
            });
        }
    }

    /** Rounds completed so far (with or without failures). */
    long rounds()
    {
        return rounds.get();
    }

    private void runRound()
    {
        try {
            DeliveryReport report = round.get();
            if (report.attempted() > 0) {
                LOG.info("exchange delivery: {} envelope(s) attempted, {} stored, {} failed; waiting partners {}",
                        report.attempted(), report.stored(), report.failed(), report.waitingPartnerIds());
            }
            // A partner catching up gets its next batch at once rather than at the next tick.
            if (!report.behindPartnerIds().isEmpty()) {
                deliverSoon();
            }
        }
        catch (RuntimeException e) {
            // An exception would cancel the schedule: log it, the next round retries.
            LOG.error("exchange delivery round failed: {}", e.getMessage(), e);
        }
        finally {
            rounds.incrementAndGet();
        }
    }

    /** Stops the schedule, letting a round in progress finish (or interrupting it after a while). */
    @Override
    public void close()
    {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        }
        catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
