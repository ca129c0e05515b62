package org.vigie.kafka;

import org.vigie.config.ConfigurationValues;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * How the node reaches Kafka: keys {@code kafka.bootstrap-servers} (host:port list), {@code kafka.topic-prefix}
 * (topics are {@code <prefix>collection.<id>}, {@code <prefix>observations} and {@code <prefix>sightings}), {@code kafka.client-id},
 * {@code kafka.partitions} (of topics the node creates) and {@code kafka.replication-factor} (of those topics;
 * absent: the broker's default). {@code kafka.enabled} ({@code false} by default) tells a serving node that this
 * deployment uses Kafka: its readiness then requires the brokers, and its metrics report the matching workers' lag;
 * see {@link #enabled}.
 */
public record KafkaConfig(String bootstrapServers, String topicPrefix, String clientId, int partitions, Optional<Integer> replicationFactor)
{
    public static final String BOOTSTRAP_SERVERS = "kafka.bootstrap-servers";
    public static final String TOPIC_PREFIX = "kafka.topic-prefix";
    public static final String CLIENT_ID = "kafka.client-id";
    public static final String PARTITIONS = "kafka.partitions";
    public static final String REPLICATION_FACTOR = "kafka.replication-factor";
    public static final String ENABLED = "kafka.enabled";

    public static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";
    public static final String DEFAULT_TOPIC_PREFIX = "vigie.";
    public static final String DEFAULT_CLIENT_ID = "vigie";
    public static final int DEFAULT_PARTITIONS = 6;
    public static final int MAXIMUM_PARTITIONS = 1_000;

    private static final Set<String> KEYS = Set.of(BOOTSTRAP_SERVERS, TOPIC_PREFIX, CLIENT_ID, PARTITIONS, REPLICATION_FACTOR, ENABLED);
    private static final Pattern SERVERS = Pattern.compile("[^\\s,:]+:\\d{1,5}(,[^\\s,:]+:\\d{1,5})*");
    // Kafka's legal topic characters; the prefix leaves room for the collection id in the 249 allowed.
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._-]{0,100}");

    public KafkaConfig
    {
        requireNonNull(bootstrapServers, "bootstrapServers is null");
        requireNonNull(topicPrefix, "topicPrefix is null");
        requireNonNull(clientId, "clientId is null");
        requireNonNull(replicationFactor, "replicationFactor is null");
        if (!SERVERS.matcher(bootstrapServers).matches()) {
            throw ConfigurationValues.invalid(BOOTSTRAP_SERVERS, bootstrapServers, "is not a comma-separated list of host:port");
        }
        if (!PREFIX.matcher(topicPrefix).matches()) {
            throw ConfigurationValues.invalid(TOPIC_PREFIX, topicPrefix, "may hold only letters, digits, '.', '_' and '-', at most 100 of them");
        }
        if (clientId.isBlank()) {
            throw ConfigurationValues.invalid(CLIENT_ID, clientId, "must not be blank");
        }
        if (partitions < 1 || partitions > MAXIMUM_PARTITIONS) {
            throw ConfigurationValues.invalid(PARTITIONS, Integer.toString(partitions), "is outside 1.." + MAXIMUM_PARTITIONS);
        }
        if (replicationFactor.isPresent() && (replicationFactor.get() < 1 || replicationFactor.get() > Short.MAX_VALUE)) {
            throw ConfigurationValues.invalid(REPLICATION_FACTOR, replicationFactor.get().toString(), "is outside 1.." + Short.MAX_VALUE);
        }
    }

    public static KafkaConfig defaults()
    {
        return new KafkaConfig(DEFAULT_BOOTSTRAP_SERVERS, DEFAULT_TOPIC_PREFIX, DEFAULT_CLIENT_ID, DEFAULT_PARTITIONS, Optional.empty());
    }

    /** This configuration with other bootstrap servers (tests start a broker on a free port). */
    public KafkaConfig withBootstrapServers(String servers)
    {
        return new KafkaConfig(servers, topicPrefix, clientId, partitions, replicationFactor);
    }

    public KafkaConfig withTopicPrefix(String prefix)
    {
        return new KafkaConfig(bootstrapServers, prefix, clientId, partitions, replicationFactor);
    }

    /**
     * Reads the {@code kafka.*} keys of a node configuration; other keys are left to their owners.
     * Unknown {@code kafka.*} keys are rejected so that a misspelt key is not silently ignored.
     */
    public static KafkaConfig fromProperties(Map<String, String> properties)
    {
        requireNonNull(properties, "properties is null");
        ConfigurationValues values = ConfigurationValues.of(properties);
        values.rejectUnknownKeys("kafka.", KEYS);
        Optional<Integer> replicationFactor = values.text(REPLICATION_FACTOR)
                .map(text -> (int) ConfigurationValues.wholeNumber(REPLICATION_FACTOR, text, 1, Short.MAX_VALUE));
        return new KafkaConfig(
                values.text(BOOTSTRAP_SERVERS, DEFAULT_BOOTSTRAP_SERVERS),
                // An empty prefix is allowed (topics named by their purpose alone), so not read as text.
                properties.getOrDefault(TOPIC_PREFIX, DEFAULT_TOPIC_PREFIX).strip(),
                values.text(CLIENT_ID, DEFAULT_CLIENT_ID),
                values.wholeNumber(PARTITIONS, DEFAULT_PARTITIONS, 1, MAXIMUM_PARTITIONS),
                replicationFactor);
    }

    /** The {@code kafka.enabled} key: {@code true} or {@code false} (default), anything else an error naming the key. */
    public static boolean enabled(Map<String, String> properties)
    {
        return ConfigurationValues.of(properties).bool(ENABLED, false);
    }
}
