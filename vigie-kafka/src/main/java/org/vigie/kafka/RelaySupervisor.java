package org.vigie.kafka;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.store.events.EventLog;

import java.time.Duration;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Runs the event relay in this process exactly while it holds the {@link RelayLeadership}: checks every
 * interval, starts a relay on becoming leader, stops it on losing the leadership, and restarts a relay that
 * failed (resigning first, so another replica may take over meanwhile). A new relay resumes from the cursor
 * its predecessor saved in the store, so a takeover loses nothing; events sent again by two relays briefly
 * running together are skipped by readers (see {@link TopicReader}).
 */
final class RelaySupervisor
        implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(RelaySupervisor.class);

    private final KafkaConfig config;
    private final EventLog source;
    private final RelayLeadership leadership;
    private final Duration interval;
    private final Thread thread;
    private final Object monitor = new Object();
    private volatile EventRelay relay;
    private volatile Throwable failure;
    private boolean closed;

    RelaySupervisor(KafkaConfig config, EventLog source, RelayLeadership leadership, Duration interval)
    {
        this.config = requireNonNull(config, "config is null");
        this.source = requireNonNull(source, "source is null");
        this.leadership = requireNonNull(leadership, "leadership is null");
        this.interval = requireNonNull(interval, "interval is null");
        this.thread = new Thread(this::run, "vigie-kafka-relay-leadership");
        thread.setDaemon(true);
    }

    void start()
    {
        thread.start();
    }

    private void run()
    {
        try {
            while (true) {
                check();
                synchronized (monitor) {
                    if (!closed) {
                        monitor.wait(interval.toMillis());
                    }
                    if (closed) {
                        return;
                    }
                }
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        finally {
            stopRelay();
            leadership.close();
        }
    }

    private void check()
    {
        boolean leader;
        try {
            leader = leadership.lead();
        }
        catch (RuntimeException e) {
            LOG.warn("kafka relay {}: leadership check failed: {}", config.topicPrefix(), e.toString());
            leader = false;
        }
        EventRelay running = relay;
        if (running != null) {
            Optional<Throwable> stopped = running.failure();
            if (leader && stopped.isEmpty()) {
                return;
            }
            stopped.ifPresent(cause -> {
                failure = cause;
                LOG.warn("kafka relay {}: stopped on an error, restarting: {}", config.topicPrefix(), cause.toString());
            });
            stopRelay();
            if (leader) {
                leadership.resign();
            }
            return;
        }
        if (leader) {
            EventRelay started = null;
            try {
                started = new EventRelay(config, source);
                started.start();
                relay = started;
                failure = null;
            }
            catch (RuntimeException e) {
                failure = e;
                LOG.warn("kafka relay {}: cannot start: {}", config.topicPrefix(), e.toString());
                if (started != null) {
                    started.close();
                }
                leadership.resign();
            }
        }
    }

    private void stopRelay()
    {
        EventRelay running = relay;
        relay = null;
        if (running != null) {
            try {
                running.close();
            }
            catch (RuntimeException e) {
                LOG.warn("kafka relay {}: closing failed: {}", config.topicPrefix(), e.toString());
            }
        }
    }

    /** Whether this process relays now. */
    boolean relaying()
    {
        return relay != null;
    }

    /** Why the relay of this process has stopped and not been restarted yet. */
    Optional<Throwable> failure()
    {
        EventRelay running = relay;
        if (running != null && running.failure().isPresent()) {
            return running.failure();
        }
        return Optional.ofNullable(failure);
    }

    @Override
    public void close()
    {
        synchronized (monitor) {
            closed = true;
            monitor.notifyAll();
        }
        if (thread.isAlive()) {
            try {
                thread.join();
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        else {
            stopRelay();
            leadership.close();
        }
    }
}
