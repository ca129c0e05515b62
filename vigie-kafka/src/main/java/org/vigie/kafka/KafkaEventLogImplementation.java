package org.vigie.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.vigie.store.events.Cursor;
import org.vigie.store.events.Event;
import org.vigie.store.events.EventBatch;
import org.vigie.store.events.EventListener;
import org.vigie.store.events.EventLog;
import org.vigie.store.events.EventSignal;
import org.vigie.store.events.PollingSubscriptions;
import org.vigie.store.events.Subscription;

import java.time.Duration;
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
    private static final String CONSUMER_PREFIX = "kafka/";

    private final KafkaConfig config;
    private final EventLog cursorStore;
    private final Optional<EventRelay> relay;
    private final TopicReader reader;
    // Polls wait in the reader already: the signal only shortens the wait of subscriptions after close.
    private final EventSignal signal = new EventSignal();
    private final AtomicBoolean closed = new AtomicBoolean();

    private KafkaEventLogImplementation(KafkaConfig config, EventLog cursorStore, Optional<EventRelay> relay, TopicReader reader)
    {
        this.config = requireNonNull(config, "config is null");
        this.cursorStore = requireNonNull(cursorStore, "cursorStore is null");
        this.relay = requireNonNull(relay, "relay is null");
        this.reader = requireNonNull(reader, "reader is null");
    }

    static KafkaEventLog open(KafkaConfig config, EventLog source, boolean relaying)
    {
        requireNonNull(config, "config is null");
        requireNonNull(source, "source is null");
        TopicReader reader = new TopicReader(config, EventRecords.collectionTopicPrefix(config.topicPrefix()), POLL_WAIT, KafkaEventLogImplementation::sequenceOf);
        Optional<EventRelay> relay = Optional.empty();
        try {
            if (relaying) {
                relay = Optional.of(new EventRelay(config, source));
                relay.get().start();
            }
            return new KafkaEventLogImplementation(config, source, relay, reader);
        }
        catch (RuntimeException e) {
            relay.ifPresent(EventRelay::close);
            reader.close();
            throw e;
        }
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

    /** After every event committed to the store before this call: waits for this log's relay to forward them. */
    @Override
    public Cursor end()
    {
        relay.ifPresent(running -> running.awaitCaughtUp(CATCH_UP_TIMEOUT));
        return reader.end();
    }

    @Override
    public EventBatch poll(Cursor from, int maximum)
    {
        TopicReader.Read read = reader.read(from, maximum);
        List<Event> events = read.records().stream()
                .map(record -> EventRecords.decode(record.topic(), record.offset(), record.value()))
                .toList();
        return new EventBatch(events, read.next());
    }

    @Override
    public Subscription subscribe(Cursor from, EventListener listener)
    {
        return PollingSubscriptions.start(this, from, listener, signal, POLL_WAIT, SUBSCRIPTION_BATCH_SIZE);
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
        return relay.flatMap(EventRelay::failure);
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
        }
        finally {
            signal.signal();
            reader.close();
        }
    }
}
