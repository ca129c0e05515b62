package org.vigie.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Reading topics and group offsets in tests, and waiting for conditions with a deadline. */
final class KafkaTestSupport
{
    private KafkaTestSupport() {}

    /** Checks {@code condition} every 50 ms until it holds; fails naming {@code what} after {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier condition)
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    static Admin admin(String bootstrapServers)
    {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return Admin.create(properties);
    }

    /** Records of a topic not yet committed by a group (all of them when it committed nothing). */
    static long lag(Admin admin, String groupId, String topic)
    {
        try {
            return KafkaHealth.lag(admin, groupId, topic, Duration.ofSeconds(60));
        }
        catch (TimeoutException e) {
            throw new AssertionError("group " + groupId + " on " + topic + ": " + e, e);
        }
        catch (ExecutionException e) {
            throw new AssertionError("group " + groupId + " on " + topic + ": " + e.getCause(), e.getCause());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static String header(ConsumerRecord<String, String> record, String name)
    {
        Header header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Reads every partition of a topic from its beginning, without a group. */
    static final class TopicReaderForTests
            implements AutoCloseable
    {
        private final KafkaConsumer<String, String> consumer;
        private final List<TopicPartition> partitions;
        private final List<ConsumerRecord<String, String>> records = new ArrayList<>();

        TopicReaderForTests(String bootstrapServers, String topic)
        {
            Properties properties = new Properties();
            properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            consumer = new KafkaConsumer<>(properties);
            partitions = consumer.partitionsFor(topic).stream().map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        Map<TopicPartition, Long> endOffsets()
        {
            return consumer.endOffsets(partitions);
        }

        /** What arrived since the last call, added to {@link #records()}. */
        List<ConsumerRecord<String, String>> poll()
        {
            List<ConsumerRecord<String, String>> fresh = new ArrayList<>();
            consumer.poll(Duration.ofMillis(100)).forEach(fresh::add);
            records.addAll(fresh);
            return fresh;
        }

        /** Reads until every record now in the topic has been read. */
        List<ConsumerRecord<String, String>> readToEnd()
        {
            Map<TopicPartition, Long> ends = endOffsets();
            await("reading to the end of " + partitions, Duration.ofSeconds(60), () -> {
                poll();
                return partitions.stream().allMatch(partition -> consumer.position(partition) >= ends.get(partition));
            });
            return List.copyOf(records);
        }

        List<ConsumerRecord<String, String>> records()
        {
            return List.copyOf(records);
        }

        @Override
        public void close()
        {
            consumer.close();
        }
    }
}
