package org.vigie.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static java.util.Objects.requireNonNull;

/**
 * What a node's readiness and metrics ask of Kafka, through one admin client: whether the cluster answers,
 * and how many observation records the matching workers' consumer group has not committed yet (its lag).
 */
public final class KafkaHealth
        implements AutoCloseable
{
    private final KafkaConfig config;
    private final Duration timeout;
    private final Admin admin;

    private KafkaHealth(KafkaConfig config, Duration timeout)
    {
        this.config = requireNonNull(config, "config is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        properties.put(AdminClientConfig.CLIENT_ID_CONFIG, config.clientId() + "-health");
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
        this.admin = Admin.create(properties);
    }

    /** An admin client for these brokers; each question waits at most {@code timeout}. */
    public static KafkaHealth open(KafkaConfig config, Duration timeout)
    {
        return new KafkaHealth(config, timeout);
    }

    /** Whether the cluster answered with at least one broker within the timeout. */
    public boolean reachable()
    {
        try {
            return !admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).isEmpty();
        }
        catch (ExecutionException | TimeoutException e) {
            return false;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Records of the observations topic after the group's committed offsets (uncommitted partitions count from the start). */
    public long observationLag(String groupId)
    {
        requireNonNull(groupId, "groupId is null");
        String topic = KafkaTopics.observations(config);
        try {
            return lag(admin, groupId, topic, timeout);
        }
        catch (ExecutionException | TimeoutException e) {
            throw new VigieException(ErrorCode.EVENT_LOG_UNAVAILABLE, "Kafka " + config.bootstrapServers() + ": cannot read the lag of consumer group " + groupId + " on " + topic + ": " + e.getMessage(), e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VigieException(ErrorCode.EVENT_LOG_UNAVAILABLE, "interrupted while reading the lag of consumer group " + groupId, e);
        }
    }

    /** Records of a topic after a group's committed offsets (all of them where it committed nothing). */
    static long lag(Admin admin, String groupId, String topic, Duration timeout)
            throws ExecutionException, TimeoutException, InterruptedException
    {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        try {
            admin.describeTopics(List.of(topic)).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(topic).partitions()
                    .forEach(partition -> latest.put(new TopicPartition(topic, partition.partition()), OffsetSpec.latest()));
        }
        catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                // No topic yet: nothing was ever produced to it, so nothing is behind.
                return 0;
            }
            throw e;
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        long lag = 0;
        for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end : ends.entrySet()) {
            OffsetAndMetadata offset = committed.get(end.getKey());
            lag += Math.max(0, end.getValue().offset() - (offset == null ? 0 : offset.offset()));
        }
        return lag;
    }

    @Override
    public void close()
    {
        admin.close(Duration.ofSeconds(5));
    }
}
