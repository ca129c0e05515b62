package org.vigie.kafka;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static java.util.Objects.requireNonNull;

/**
 * A consumer group member on its own thread that hands each polled batch to a handler and commits the batch's
 * offsets only when the handler has returned, that is when the batch's effects are durable: a member that dies
 * before the commit leaves its batch to be delivered again to another (at least once; effects are idempotent).
 */
final class CommittingConsumer
        implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(CommittingConsumer.class);
    private static final Duration POLL_WAIT = Duration.ofMillis(200);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    /** Makes a batch's effects durable, or throws: the batch is then not committed and the member stops. */
    interface BatchHandler
    {
        void handle(List<ConsumerRecord<String, String>> records);
    }

    private final String name;
    private final String topic;
    private final KafkaConsumer<String, String> consumer;
    private final BatchHandler handler;
    private final Thread thread;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong committedRecords = new AtomicLong();
    // Offsets handled but not yet committed: only the polling thread touches them.
    private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();
    private long pendingRecords;
    private boolean started;

    CommittingConsumer(String name, Properties consumerProperties, String topic, BatchHandler handler)
    {
        this.name = requireNonNull(name, "name is null");
        this.topic = requireNonNull(topic, "topic is null");
        this.handler = requireNonNull(handler, "handler is null");
        this.consumer = new KafkaConsumer<>(requireNonNull(consumerProperties, "consumerProperties is null"));
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
    }

    synchronized void start()
    {
        started = true;
        thread.start();
    }

    private void run()
    {
        try {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener()
            {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions)
                {
                    // Another member takes these partitions over: it must start after what this one handled.
                    commitPending();
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions)
                {
                    // Already owned by others: committing would fail; they redeliver what was not committed.
                    pending.clear();
                    pendingRecords = 0;
                }
            });
            while (!closed.get()) {
                ConsumerRecords<String, String> records = consumer.poll(POLL_WAIT);
                if (records.isEmpty()) {
                    continue;
                }
                List<ConsumerRecord<String, String>> batch = new ArrayList<>(records.count());
                records.forEach(batch::add);
                handler.handle(batch);
                for (TopicPartition partition : records.partitions()) {
                    List<ConsumerRecord<String, String>> partitionRecords = records.records(partition);
                    pending.put(partition, new OffsetAndMetadata(partitionRecords.get(partitionRecords.size() - 1).offset() + 1));
                }
                pendingRecords += batch.size();
                commitPending();
            }
            commitPending();
        }
        catch (Throwable e) {
            LOG.error("{}: stopped; its uncommitted records will be delivered again to another member", name, e);
            failure.set(e);
        }
        finally {
            consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
        }
    }

    private void commitPending()
    {
        if (pending.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(Map.copyOf(pending));
            committedRecords.addAndGet(pendingRecords);
        }
        catch (CommitFailedException | RebalanceInProgressException e) {
            // The partitions moved before the commit: their new owner handles these records again (idempotently).
            LOG.warn("{}: offsets not committed ({}); the records will be handled again", name, e.getMessage());
        }
        pending.clear();
        pendingRecords = 0;
    }

    long committedRecords()
    {
        return committedRecords.get();
    }

    Optional<Throwable> failure()
    {
        return Optional.ofNullable(failure.get());
    }

    boolean running()
    {
        return thread.isAlive();
    }

    @Override
    public void close()
    {
        // No wakeup: it would interrupt the commit of a batch already handled; a poll waits at most POLL_WAIT.
        closed.set(true);
        synchronized (this) {
            if (!started) {
                consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
                return;
            }
        }
        try {
            thread.join(CLOSE_TIMEOUT.toMillis() * 2);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
