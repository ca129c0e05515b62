package org.vigie.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
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
    // Names of a start cursor's positions (see startingAfter); "/" never occurs in a topic name.
    private static final String START_SEQUENCE = "/start-sequence";
    private static final String START_TIME = "/start-time";
    // Records are stamped by the relay's clock, the start time by the reader's: NTP keeps them far closer than this.
    private static final Duration CLOCK_MARGIN = Duration.ofSeconds(10);
    // Bounds how long a call waits for an unreachable broker (the client's default is a minute).
    private static final Duration API_TIMEOUT = Duration.ofSeconds(15);

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
        properties.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(API_TIMEOUT.toMillis()));
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
            OptionalLong startSequence = from.position(topicPrefix + START_SEQUENCE);
            OptionalLong startTime = from.position(topicPrefix + START_TIME);
            List<TopicPartition> unplaced = new ArrayList<>();
            for (TopicPartition partition : partitions) {
                OptionalLong offset = from.position(name(partition));
                if (offset.isPresent()) {
                    offsets.put(partition, offset.getAsLong());
                }
                else {
                    unplaced.add(partition);
                }
                OptionalLong sequence = from.position(name(partition) + SEQUENCE_SUFFIX);
                long floor = Math.max(sequence.orElse(0), startSequence.orElse(0));
                if (sequence.isPresent() || startSequence.isPresent()) {
                    sequences.put(partition, floor);
                }
            }
            offsets.putAll(startOffsets(unplaced, startTime));
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
     * A cursor after every record whose sequence is at most {@code sequence}, for records stamped from {@code time} on,
     * resolved against the topics only when read: each partition is placed at its first record stamped from
     * {@code time} (less a margin for the clocks), and records of sequence {@code sequence} or less are skipped. So it
     * needs no broker to be made, and a reader starting there skips copies a new relay sends again, too.
     */
    Cursor startingAfter(long sequence, long time)
    {
        return Cursor.of(Map.of(topicPrefix + START_SEQUENCE, sequence, topicPrefix + START_TIME, time));
    }

    /** Where partitions not named by a cursor start: at the beginning, or for a start cursor, by time. */
    private Map<TopicPartition, Long> startOffsets(List<TopicPartition> partitions, OptionalLong startTime)
    {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        if (startTime.isEmpty()) {
            partitions.forEach(partition -> offsets.put(partition, 0L));
            return offsets;
        }
        if (partitions.isEmpty()) {
            return offsets;
        }
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(partition -> times.put(partition, Math.max(0, startTime.getAsLong() - CLOCK_MARGIN.toMillis())));
        // Ends first: a record appended between the two calls is then read, not stepped over.
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(times);
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp first = found.get(partition);
            // No record stamped that late: everything before the end read above is older.
            offsets.put(partition, first == null ? ends.get(partition) : first.offset());
        }
        return offsets;
    }

    /** The offsets after every record now in the topics (for tests and measurements: how many records there are). */
    synchronized Map<String, Long> endOffsets()
    {
        try {
            TreeMap<String, Long> positions = new TreeMap<>();
            consumer.endOffsets(partitions()).forEach((partition, offset) -> positions.put(name(partition), offset));
            return positions;
        }
        catch (KafkaException e) {
            throw new VigieException(ErrorCode.EVENT_LOG_UNAVAILABLE, "kafka " + topicPrefix + "*: reading end offsets failed: " + e.getMessage(), e);
        }
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
