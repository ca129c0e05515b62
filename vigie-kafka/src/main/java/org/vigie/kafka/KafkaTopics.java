package org.vigie.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

/** Creates the node's fixed topics (observations, sightings) and waits until every partition has a leader. */
final class KafkaTopics
{
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private KafkaTopics() {}

    static String observations(KafkaConfig config)
    {
        return config.topicPrefix() + "observations";
    }

    static String sightings(KafkaConfig config)
    {
        return config.topicPrefix() + "sightings";
    }

    /** Creates the topics that do not exist yet with the configured partitions; existing ones are left as they are. */
    static void ensure(KafkaConfig config, List<String> topics)
    {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        properties.put(AdminClientConfig.CLIENT_ID_CONFIG, config.clientId() + "-topics");
        try (Admin admin = Admin.create(properties)) {
            for (String topic : topics) {
                create(admin, config, topic);
                awaitLeaders(admin, config, topic);
            }
        }
    }

    private static void create(Admin admin, KafkaConfig config, String topic)
    {
        NewTopic newTopic = new NewTopic(topic, Optional.of(config.partitions()), config.replicationFactor().map(Integer::shortValue));
        try {
            admin.createTopics(List.of(newTopic)).all().get();
        }
        catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new VigieException(ErrorCode.EVENT_LOG_UNAVAILABLE, "kafka " + config.bootstrapServers() + ": cannot create topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VigieException(ErrorCode.EVENT_LOG_UNAVAILABLE, "kafka: interrupted while creating topic " + topic, e);
        }
    }

    // Sends to a partition without a leader yet are refused; waiting here keeps the first batches simple.
    private static void awaitLeaders(Admin admin, KafkaConfig config, String topic)
    {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            try {
                TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
                if (!description.partitions().isEmpty() && description.partitions().stream().allMatch(partition -> partition.leader() != null)) {
                    return;
                }
            }
            catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new VigieException(ErrorCode.EVENT_LOG_UNAVAILABLE, "kafka " + config.bootstrapServers() + ": cannot describe topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VigieException(ErrorCode.EVENT_LOG_UNAVAILABLE, "kafka: interrupted while waiting for topic " + topic, e);
            }
            if (System.nanoTime() > deadline) {
                throw new VigieException(ErrorCode.EVENT_LOG_UNAVAILABLE, "kafka " + config.bootstrapServers() + ": topic " + topic + " has no leader for every partition after " + READY_TIMEOUT);
            }
            Thread.onSpinWait();
        }
    }
}
