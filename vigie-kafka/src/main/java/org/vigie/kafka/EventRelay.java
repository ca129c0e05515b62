package org.vigie.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.store.events.Cursor;
import org.vigie.store.events.Event;
import org.vigie.store.events.EventBatch;
import org.vigie.store.events.EventLog;
import org.vigie.store.events.Subscription;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import static java.util.Objects.requireNonNull;

/**
 * Forwards the store's committed events to Kafka: subscribes to the store's log from its saved cursor, sends
 * each batch (key: object id, so per-object order holds within a partition), waits for every acknowledgement
 * (acks=all, idempotent producer), and only then saves the cursor past the batch.
 */
final class EventRelay
        implements AutoCloseable
{
    private static final Duration TOPIC_READY_TIMEOUT = Duration.ofSeconds(30);
    private static final int COLLECTION_PARTITIONS = 1;

    private final KafkaConfig config;
    private final EventLog source;
    private final String cursorName;
    private final Admin admin;
    private final KafkaProducer<String, String> producer;
    private final Set<String> knownTopics = new HashSet<>();
    private final Object progress = new Object();
    private Cursor position;
    private long relayed;
    private Subscription subscription;

    EventRelay(KafkaConfig config, EventLog source)
    {
        this.config = requireNonNull(config, "config is null");
        this.source = requireNonNull(source, "source is null");
        this.cursorName = cursorName(config);
        Properties adminProperties = new Properties();
        adminProperties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        adminProperties.put(AdminClientConfig.CLIENT_ID_CONFIG, config.clientId() + "-relay-admin");
        this.admin = Admin.create(adminProperties);
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, config.clientId() + "-relay");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        // One request in flight per broker: seen on a new topic, a first batch refused with NOT_LEADER while later
        // ones were in flight left the idempotent producer retrying OUT_OF_ORDER_SEQUENCE for ever.
        properties.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        this.producer = new KafkaProducer<>(properties);
    }

    /** The name under which the relay of a topic prefix saves its cursor in the store's log. */
    static String cursorName(KafkaConfig config)
    {
        return "kafka-relay/" + config.topicPrefix();
    }

    void start()
    {
        position = source.savedCursor(cursorName).orElse(source.beginning());
        subscription = source.subscribe(position, this::forward);
    }

    private void forward(EventBatch batch)
    {
        List<Future<RecordMetadata>> sends = new ArrayList<>(batch.events().size());
        for (Event event : batch.events()) {
            String topic = EventRecords.collectionTopic(config.topicPrefix(), event.collectionId());
            ensureTopic(topic);
            sends.add(producer.send(new ProducerRecord<>(topic, event.objectId(), EventRecords.encode(event))));
        }
        for (Future<RecordMetadata> send : sends) {
            try {
                send.get();
            }
            catch (ExecutionException e) {
                throw new VigieException(ErrorCode.EVENT_LOG_UNAVAILABLE, "kafka relay " + config.bootstrapServers() + ": sending events failed: " + e.getCause().getMessage(), e.getCause());
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VigieException(ErrorCode.EVENT_LOG_UNAVAILABLE, "kafka relay " + config.bootstrapServers() + ": interrupted while sending events", e);
            }
        }
        source.saveCursor(cursorName, batch.next());
        synchronized (progress) {
            position = batch.next();
            relayed += batch.events().size();
            progress.notifyAll();
        }
    }

    private void ensureTopic(String topic)
    {
        if (knownTopics.contains(topic)) {
            return;
        }
        // One partition per collection: every reader reads every partition (no consumer group), so more would add
        // no parallelism, only positions to every cursor (a live feed's Last-Event-ID header grows with them).
        NewTopic newTopic = new NewTopic(topic, Optional.of(COLLECTION_PARTITIONS), config.replicationFactor().map(Integer::shortValue));
        try {
            admin.createTopics(List.of(newTopic)).all().get();
        }
        catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new VigieException(ErrorCode.EVENT_LOG_UNAVAILABLE, "kafka relay " + config.bootstrapServers() + ": cannot create topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VigieException(ErrorCode.EVENT_LOG_UNAVAILABLE, "kafka relay: interrupted while creating topic " + topic, e);
        }
        awaitLeaders(topic);
        knownTopics.add(topic);
    }

    /** Waits until every partition of a new topic has a leader, so that the first sends are not refused. */
    private void awaitLeaders(String topic)
    {
        long deadline = System.nanoTime() + TOPIC_READY_TIMEOUT.toNanos();
        while (true) {
            try {
                TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
                if (!description.partitions().isEmpty() && description.partitions().stream().allMatch(partition -> partition.leader() != null)) {
                    return;
                }
            }
            catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new VigieException(ErrorCode.EVENT_LOG_UNAVAILABLE, "kafka relay " + config.bootstrapServers() + ": cannot describe topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VigieException(ErrorCode.EVENT_LOG_UNAVAILABLE, "kafka relay: interrupted while waiting for topic " + topic, e);
            }
            if (System.nanoTime() > deadline) {
                throw new VigieException(ErrorCode.EVENT_LOG_UNAVAILABLE, "kafka relay " + config.bootstrapServers() + ": topic " + topic + " has no leader for every partition after " + TOPIC_READY_TIMEOUT);
            }
            Thread.onSpinWait();
        }
    }

    /** Waits until every event committed before this call has been relayed. */
    void awaitCaughtUp(Duration timeout)
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (!source.poll(position, 1).isEmpty()) {
                Optional<Throwable> failure = failure();
                if (failure.isPresent()) {
                    throw new VigieException(ErrorCode.EVENT_LOG_UNAVAILABLE, "kafka relay " + config.bootstrapServers() + " has stopped: " + failure.get().getMessage(), failure.get());
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new VigieException(ErrorCode.EVENT_LOG_UNAVAILABLE, "kafka relay " + config.bootstrapServers() + ": not caught up with the store within " + timeout);
                }
                try {
                    progress.wait(Math.max(1, Math.min(remaining / 1_000_000, 100)));
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new VigieException(ErrorCode.EVENT_LOG_UNAVAILABLE, "kafka relay: interrupted while waiting for it to catch up", e);
                }
            }
        }
    }

    long relayed()
    {
        synchronized (progress) {
            return relayed;
        }
    }

    Optional<Throwable> failure()
    {
        return subscription == null ? Optional.empty() : subscription.failure();
    }

    @Override
    public void close()
    {
        try {
            if (subscription != null) {
                subscription.close();
            }
        }
        finally {
            try {
                producer.close(Duration.ofSeconds(10));
            }
            finally {
                admin.close(Duration.ofSeconds(10));
            }
        }
    }
}
