package org.vigie.store.events;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

final class PollingSubscription
        implements Subscription
{
    private static final Logger LOG = LoggerFactory.getLogger(PollingSubscription.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final EventLog log;
    // Present when the subscription takes the events of one kind only.
    private final Optional<Event.Kind> kind;
    private final EventListener listener;
    private final EventSignal signal;
    private final Duration idleInterval;
    private final int batchSize;
    private final Thread thread;

    private volatile Cursor position;
    private volatile boolean running = true;
    private volatile Throwable failure;

    PollingSubscription(EventLog log, Cursor from, Optional<Event.Kind> kind, EventListener listener, EventSignal signal, Duration idleInterval, int batchSize)
    {
        this.log = requireNonNull(log, "log is null");
        this.kind = requireNonNull(kind, "kind is null");
        this.position = requireNonNull(from, "from is null");
        this.listener = requireNonNull(listener, "listener is null");
        this.signal = requireNonNull(signal, "signal is null");
        this.idleInterval = requireNonNull(idleInterval, "idleInterval is null");
        if (idleInterval.isNegative() || idleInterval.isZero()) {
            throw new IllegalArgumentException("idleInterval " + idleInterval + " is not positive");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize " + batchSize + " is not positive");
        }
        this.batchSize = batchSize;
        this.thread = new Thread(this::run, "vigie-event-subscription-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
    }

    void start()
    {
        thread.start();
    }

    private void run()
    {
        try {
            while (running) {
                long seen = signal.generation();
                EventBatch batch = kind.isPresent() ? log.poll(position, kind.get(), batchSize) : log.poll(position, batchSize);
                if (!running) {
                    return;
                }
                boolean moved = !batch.next().equals(position);
                // A subscription to one kind also reports reads that passed only other kinds (see EventLog).
                if (!batch.isEmpty() || (moved && kind.isPresent())) {
                    listener.onEvents(batch);
                }
                position = batch.next();
                if (batch.isEmpty() && !moved) {
                    signal.await(seen, idleInterval);
                }
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        catch (RuntimeException | Error e) {
            // Kept for failure() and logged: a subscription that stops must not stop silently.
            failure = e;
            LOG.error("event subscription {} stopped at {}", thread.getName(), position, e);
        }
        finally {
            running = false;
        }
    }

    @Override
    public Cursor position()
    {
        return position;
    }

    @Override
    public Optional<Throwable> failure()
    {
        return Optional.ofNullable(failure);
    }

    @Override
    public boolean isRunning()
    {
        return running;
    }

    @Override
    public void close()
    {
        running = false;
        signal.signal();
        if (Thread.currentThread() != thread) {
            try {
                thread.join();
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
