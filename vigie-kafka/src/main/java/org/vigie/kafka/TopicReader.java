package org.vigie.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.store.events.Cursor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Reads the partitions of the topics whose names start with a prefix from a {@link Cursor} holding, per
 * partition, the next offset ({@code <topic>/<partition>}) and, for records that carry one, the highest store
 * sequence read ({@code <topic>/<partition>/sequence}). A record whose sequence is not above that is a copy
 * the relay sent again after a restart, and is skipped: consumers see each event once. No consumer group:
 * the cursor is the only state, so any process resumes from it.
 */
final class TopicReader
        implements AutoCloseable
{
    private static final AtomicInteger CLIENTS = new AtomicInteger();
    private static final String SEQUENCE_SUFFIX = "/sequence";
    // end() reads each partition's last record; longer than a poll's wait, so that a loaded broker still answers.
    private static final Duration LAST_RECORD_WAIT = Duration.ofSeconds(5);

    private final String topicPrefix;
    private final Duration wait;
    private final Function<ConsumerRecord<String, String>, OptionalLong> sequenceOf;
    private final KafkaConsumer<String, String> consumer;

    /** Records read, the cursor just past each of them (so that each may be resumed after), and the cursor past the read. */
    record Read(List<ConsumerRecord<String, String>> records, List<Cursor> after, Cursor next) {}

    TopicReader(KafkaConfig config, String topicPrefix, Duration wait, Function<ConsumerRecord<String, String>, OptionalLong> sequenceOf)
    {
        requireNonNull(config, "config is null");
        this.topicPrefix = requireNonNull(topicPrefix, "topicPrefix is null");
        this.wait = requireNonNull(wait, "wait is null");
        this.sequenceOf = requireNonNull(sequenceOf, "sequenceOf is null");
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, config.clientId() + "-reader-" + CLIENTS.incrementAndGet());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(properties);
    }

    /**
     * Up to {@code maximum} records after {@code from}, each partition in offset order. Waits up to the reader's
     * wait for records when none are there yet.
     */
    synchronized Read read(Cursor from, int maximum)
    {
        requireNonNull(from, "from is null");
        if (maximum < 1) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "event poll: maximum " + maximum + " is not positive");
        }
        for (String name : from.positions().keySet()) {
            if (!name.startsWith(topicPrefix)) {
                throw new VigieException(ErrorCode.EVENT_CURSOR_INVALID, "event cursor " + from + " was not issued for Kafka topics " + topicPrefix + "*");
            }
        }
        try {
            Map<TopicPartition, Long> offsets = new HashMap<>();
            Map<TopicPartition, Long> sequences = new HashMap<>();
            List<TopicPartition> partitions = partitions();
            for (TopicPartition partition : partitions) {
                offsets.put(partition, from.position(name(partition)).orElse(0));
                OptionalLong sequence = from.position(name(partition) + SEQUENCE_SUFFIX);
                if (sequence.isPresent()) {
                    sequences.put(partition, sequence.getAsLong());
                }
            }
            List<ConsumerRecord<String, String>> taken = new ArrayList<>();
            List<Cursor> after = new ArrayList<>();
            TreeMap<String, Long> current = new TreeMap<>(from.positions());
            if (!partitions.isEmpty()) {
                consumer.assign(partitions);
                partitions.forEach(partition -> consumer.seek(partition, offsets.get(partition)));
                Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
                long deadline = System.nanoTime() + wait.toNanos();
                while (taken.size() < maximum) {
                    boolean caughtUp = partitions.stream().allMatch(partition -> offsets.get(partition) >= ends.get(partition));
                    long remaining = deadline - System.nanoTime();
                    if ((caughtUp && !taken.isEmpty()) || remaining <= 0) {
                        break;
                    }
                    ConsumerRecords<String, String> records = consumer.poll(caughtUp ? Duration.ofNanos(remaining) : Duration.ofMillis(Math.min(Math.max(1, remaining / 1_000_000), 100)));
                    for (TopicPartition partition : records.partitions()) {
                        for (ConsumerRecord<String, String> record : records.records(partition)) {
                            if (record.offset() < offsets.get(partition)) {
                                continue;
                            }
                            if (taken.size() == maximum) {
                                break;
                            }
                            offsets.put(partition, record.offset() + 1);
                            current.put(name(partition), record.offset() + 1);
                            OptionalLong sequence = sequenceOf.apply(record);
                            if (sequence.isPresent()) {
                                if (sequence.getAsLong() <= sequences.getOrDefault(partition, 0L)) {
                                    continue;
                                }
                                sequences.put(partition, sequence.getAsLong());
                                current.put(name(partition) + SEQUENCE_SUFFIX, sequence.getAsLong());
                            }
                            taken.add(record);
                            after.add(Cursor.of(current));
                        }
                    }
                }
                // Whatever was fetched beyond the batch is read again from the cursor next time.
                consumer.assign(List.of());
            }
            TreeMap<String, Long> next = new TreeMap<>(from.positions());
            offsets.forEach((partition, offset) -> next.put(name(partition), offset));
            sequences.forEach((partition, sequence) -> next.put(name(partition) + SEQUENCE_SUFFIX, sequence));
            return new Read(taken, after, Cursor.of(next));
        }
        catch (KafkaException e) {
            throw new VigieException(ErrorCode.EVENT_LOG_UNAVAILABLE, "kafka " + topicPrefix + "*: read failed: " + e.getMessage(), e);
        }
    }

    /**
     * The cursor after every record now in the topics. For records that carry a sequence, it also holds the sequence of
     * each partition's last record, so that copies a new relay sends again after this call are skipped by a reader
     * starting here too (a last record that is itself such a copy gives a lower sequence: copies may then be read,
     * but never is an event skipped).
     */
    synchronized Cursor end()
    {
        try {
            TreeMap<String, Long> positions = new TreeMap<>();
            List<TopicPartition> partitions = partitions();
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            ends.forEach((partition, offset) -> positions.put(name(partition), offset));
            lastSequences(ends).forEach((partition, sequence) -> positions.put(name(partition) + SEQUENCE_SUFFIX, sequence));
            return Cursor.of(positions);
        }
        catch (KafkaException e) {
            throw new VigieException(ErrorCode.EVENT_LOG_UNAVAILABLE, "kafka " + topicPrefix + "*: reading end offsets failed: " + e.getMessage(), e);
        }
    }

    /** The sequence of the last record of each non-empty partition, as far as read within {@link #LAST_RECORD_WAIT}. */
    private Map<TopicPartition, Long> lastSequences(Map<TopicPartition, Long> ends)
    {
        Map<TopicPartition, Long> sequences = new HashMap<>();
        List<TopicPartition> filled = ends.entrySet().stream().filter(entry -> entry.getValue() > 0).map(Map.Entry::getKey).toList();
        if (filled.isEmpty()) {
            return sequences;
        }
        consumer.assign(filled);
        filled.forEach(partition -> consumer.seek(partition, ends.get(partition) - 1));
        long deadline = System.nanoTime() + LAST_RECORD_WAIT.toNanos();
        try {
            while (sequences.size() < filled.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(Math.max(1, (deadline - System.nanoTime()) / 1_000_000)))) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() == ends.get(partition) - 1) {
                        sequenceOf.apply(record).ifPresent(sequence -> sequences.put(partition, sequence));
                    }
                }
            }
        }
        finally {
            consumer.assign(List.of());
        }
        return sequences;
    }

    private List<TopicPartition> partitions()
    {
        List<TopicPartition> partitions = new ArrayList<>();
        for (Map.Entry<String, List<PartitionInfo>> topic : consumer.listTopics().entrySet()) {
            if (topic.getKey().startsWith(topicPrefix)) {
                topic.getValue().forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
            }
        }
        partitions.sort(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        return partitions;
    }

    private static String name(TopicPartition partition)
    {
        return partition.topic() + "/" + partition.partition();
    }

    @Override
    public synchronized void close()
    {
        consumer.close();
    }
}
