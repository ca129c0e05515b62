package org.vigie.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.error.VigieException;
import org.vigie.store.events.Cursor;
import org.vigie.store.events.Event;
import org.vigie.store.events.EventBatch;
import org.vigie.store.events.EventListener;
import org.vigie.store.events.EventLog;
import org.vigie.store.events.EventSignal;
import org.vigie.store.events.PollingSubscriptions;
import org.vigie.store.events.Subscription;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.util.Objects.requireNonNull;

final class KafkaEventLogImplementation
        implements KafkaEventLog
{
    // How long a poll waits for records when there are none yet; it bounds how busy an idle reader is.
    private static final Duration POLL_WAIT = Duration.ofMillis(200);
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(60);
    private static final int SUBSCRIPTION_BATCH_SIZE = 500;
    private static final Logger LOG = LoggerFactory.getLogger(KafkaEventLogImplementation.class);
    private static final String CONSUMER_PREFIX = "kafka/";
    // The position name of the stores' own cursors: the sequence events carry.
    private static final String STORE_SEQUENCE = "sequence";

    private final KafkaConfig config;
    private final EventLog cursorStore;
    private final Optional<EventRelay> relay;
    private final Optional<RelaySupervisor> supervisor;
    private final TopicReader reader;
    // Polls wait in the reader already: the signal only shortens the wait of subscriptions after close.
    private final EventSignal signal = new EventSignal();
    private final AtomicBoolean closed = new AtomicBoolean();

    private KafkaEventLogImplementation(KafkaConfig config, EventLog cursorStore, Optional<EventRelay> relay, Optional<RelaySupervisor> supervisor, TopicReader reader)
    {
        this.config = requireNonNull(config, "config is null");
        this.cursorStore = requireNonNull(cursorStore, "cursorStore is null");
        this.relay = requireNonNull(relay, "relay is null");
        this.supervisor = requireNonNull(supervisor, "supervisor is null");
        this.reader = requireNonNull(reader, "reader is null");
    }

    static KafkaEventLog open(KafkaConfig config, EventLog source, boolean relaying)
    {
        requireNonNull(config, "config is null");
        requireNonNull(source, "source is null");
        TopicReader reader = reader(config);
        Optional<EventRelay> relay = Optional.empty();
        try {
            if (relaying) {
                relay = Optional.of(new EventRelay(config, source));
                relay.get().start();
            }
            return new KafkaEventLogImplementation(config, source, relay, Optional.empty(), reader);
        }
        catch (RuntimeException e) {
            relay.ifPresent(EventRelay::close);
            reader.close();
            throw e;
        }
    }

    static KafkaEventLog replicated(KafkaConfig config, EventLog source, RelayLeadership leadership, Duration interval)
    {
        requireNonNull(config, "config is null");
        requireNonNull(source, "source is null");
        requireNonNull(leadership, "leadership is null");
        TopicReader reader = reader(config);
        RelaySupervisor supervisor = new RelaySupervisor(config, source, leadership, interval);
        supervisor.start();
        return new KafkaEventLogImplementation(config, source, Optional.empty(), Optional.of(supervisor), reader);
    }

    private static TopicReader reader(KafkaConfig config)
    {
        return new TopicReader(config, EventRecords.collectionTopicPrefix(config.topicPrefix()), POLL_WAIT, KafkaEventLogImplementation::sequenceOf);
    }

    private static OptionalLong sequenceOf(ConsumerRecord<String, String> record)
    {
        return OptionalLong.of(EventRecords.decode(record.topic(), record.offset(), record.value()).sequence());
    }

    @Override
    public Cursor beginning()
    {
        return Cursor.empty();
    }

    /**
     * After every event committed to the store before this call, named by the store's sequence and the time: it needs
     * the store, not the brokers (a node starts while Kafka is away), and is placed in the topics when first read. A
     * log with a relay of its own ({@link KafkaEventLogs#relaying}) also waits for the relay to forward those events.
     */
    @Override
    public Cursor end()
    {
        relay.ifPresent(running -> running.awaitCaughtUp(CATCH_UP_TIMEOUT));
        // The system clock on purpose: Kafka stamps the relay's records with it. Taken before the store's end, so
        // that every later event is stamped later.
        long now = System.currentTimeMillis();
        long sequence = cursorStore.end().position(STORE_SEQUENCE).orElse(0);
        return reader.startingAfter(sequence, now);
    }

    /** Records now in the topics of this log, copies included (for tests and measurements). */
    long records()
    {
        return reader.endOffsets().values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public EventBatch poll(Cursor from, int maximum)
    {
        TopicReader.Read read = reader.read(from, maximum);
        return new EventBatch(decode(read.records()), read.next());
    }

    private static List<Event> decode(List<ConsumerRecord<String, String>> records)
    {
        return records.stream().map(record -> EventRecords.decode(record.topic(), record.offset(), record.value())).toList();
    }

    /**
     * Each batch a subscription delivers holds one event: a Kafka cursor names many positions, so a consumer
     * that resumes (a live feed's {@code Last-Event-ID}) can do so after any event only with its own cursor. A
     * subscription outlives the brokers' absence: it retries from where it is.
     */
    @Override
    public Subscription subscribe(Cursor from, EventListener listener)
    {
        return PollingSubscriptions.start(new OneEventPerBatch(), from, listener, signal, POLL_WAIT, SUBSCRIPTION_BATCH_SIZE);
    }

    @Override
    public void saveCursor(String consumerName, Cursor cursor)
    {
        cursorStore.saveCursor(CONSUMER_PREFIX + config.topicPrefix() + requireNonNull(consumerName, "consumerName is null"), cursor);
    }

    @Override
    public Optional<Cursor> savedCursor(String consumerName)
    {
        return cursorStore.savedCursor(CONSUMER_PREFIX + config.topicPrefix() + requireNonNull(consumerName, "consumerName is null"));
    }

    @Override
    public Optional<Throwable> relayFailure()
    {
        return relay.flatMap(EventRelay::failure).or(() -> supervisor.flatMap(RelaySupervisor::failure));
    }

    @Override
    public boolean relaying()
    {
        return relay.isPresent() || supervisor.map(RelaySupervisor::relaying).orElse(false);
    }

    /** Events forwarded by this log's relay since it started. */
    long relayed()
    {
        return relay.map(EventRelay::relayed).orElse(0L);
    }

    @Override
    public void close()
    {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            relay.ifPresent(EventRelay::close);
            supervisor.ifPresent(RelaySupervisor::close);
        }
        finally {
            signal.signal();
            reader.close();
        }
    }

    /**
     * This log as one subscription reads it: each read is split into batches of one event, handed out in turn
     * while the subscription asks from where the previous one ended. Used by one subscription thread only.
     */
    private final class OneEventPerBatch
            implements EventLog
    {
        private final ArrayDeque<EventBatch> pending = new ArrayDeque<>();
        private Cursor pendingFrom;

        @Override
        public EventBatch poll(Cursor from, int maximum)
        {
            if (pending.isEmpty() || !from.equals(pendingFrom)) {
                pending.clear();
                TopicReader.Read read;
                try {
                    read = reader.read(from, maximum);
                }
                catch (VigieException e) {
                    if (!(e.getCause() instanceof KafkaException)) {
                        throw e;
                    }
                    // Brokers away: the subscription waits where it is and asks again, rather than ending for good.
                    LOG.warn("kafka event log {}: reading failed, retrying: {}", config.topicPrefix(), e.getMessage());
                    return new EventBatch(List.of(), from);
                }
                List<Event> events = decode(read.records());
                if (events.isEmpty()) {
                    return new EventBatch(events, read.next());
                }
                for (int index = 0; index < events.size(); index++) {
                    // The last batch ends where the read did, past any copies skipped after its event.
                    Cursor next = index == events.size() - 1 ? read.next() : read.after().get(index);
                    pending.add(new EventBatch(List.of(events.get(index)), next));
                }
            }
            EventBatch batch = pending.remove();
            pendingFrom = batch.next();
            return batch;
        }

        @Override
        public Cursor beginning()
        {
            return KafkaEventLogImplementation.this.beginning();
        }

        @Override
        public Cursor end()
        {
            return KafkaEventLogImplementation.this.end();
        }

        @Override
        public Subscription subscribe(Cursor from, EventListener listener)
        {
            return KafkaEventLogImplementation.this.subscribe(from, listener);
        }

        @Override
        public void saveCursor(String consumerName, Cursor cursor)
        {
            KafkaEventLogImplementation.this.saveCursor(consumerName, cursor);
        }

        @Override
        public Optional<Cursor> savedCursor(String consumerName)
        {
            return KafkaEventLogImplementation.this.savedCursor(consumerName);
        }
    }
}
