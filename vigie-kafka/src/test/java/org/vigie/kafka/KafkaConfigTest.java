package org.vigie.kafka;

import org.junit.jupiter.api.Test;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

public class KafkaConfigTest
{
    @Test
    public void defaults()
    {
        KafkaConfig config = KafkaConfig.fromProperties(Map.of("store.url", "jdbc:sqlite:x.db"));
        assertThat(config).isEqualTo(KafkaConfig.defaults());
        assertThat(config).isEqualTo(new KafkaConfig("localhost:9092", "vigie.", "vigie", 6, Optional.empty()));
    }

    @Test
    public void fullMapping()
    {
        KafkaConfig config = KafkaConfig.fromProperties(Map.of(
                "kafka.bootstrap-servers", "kafka-1:9093,kafka-2:9093",
                "kafka.topic-prefix", "node-a.",
                "kafka.client-id", "node-a",
                "kafka.partitions", " 12 ",
                "kafka.replication-factor", "3"));
        assertThat(config).isEqualTo(new KafkaConfig("kafka-1:9093,kafka-2:9093", "node-a.", "node-a", 12, Optional.of(3)));
    }

    @Test
    public void enabledIsFalseByDefaultAndOnlyTrueOrFalse()
    {
        assertThat(KafkaConfig.enabled(Map.of())).isFalse();
        assertThat(KafkaConfig.enabled(Map.of("kafka.enabled", " true "))).isTrue();
        assertThat(KafkaConfig.enabled(Map.of("kafka.enabled", "false"))).isFalse();
        // Accepted among the kafka keys, so a node's configuration with it validates.
        assertThat(KafkaConfig.fromProperties(Map.of("kafka.enabled", "true"))).isEqualTo(KafkaConfig.defaults());
        assertThatThrownBy(() -> KafkaConfig.enabled(Map.of("kafka.enabled", "yes")))
                .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessageStartingWith("configuration key 'kafka.enabled' = 'yes': must be true or false");
    }

    @Test
    public void badValuesAndKeysAreNamed()
    {
        assertInvalid(Map.of("kafka.bootstrap-server", "x:1"), "configuration key 'kafka.bootstrap-server': unknown key");
        assertInvalid(Map.of("kafka.bootstrap-servers", "no-port"), "configuration key 'kafka.bootstrap-servers' = 'no-port': is not a comma-separated list");
        assertInvalid(Map.of("kafka.topic-prefix", "bad prefix"), "configuration key 'kafka.topic-prefix' = 'bad prefix': may hold only");
        assertInvalid(Map.of("kafka.client-id", " "), "configuration key 'kafka.client-id' = ' ': must not be blank");
        assertInvalid(Map.of("kafka.partitions", "many"), "configuration key 'kafka.partitions' = 'many': is not a whole number");
        assertInvalid(Map.of("kafka.partitions", "0"), "configuration key 'kafka.partitions' = '0': is outside 1..1000");
        assertInvalid(Map.of("kafka.replication-factor", "0"), "configuration key 'kafka.replication-factor' = '0': is outside 1..32767");
    }

    private static void assertInvalid(Map<String, String> properties, String message)
    {
        assertThatThrownBy(() -> KafkaConfig.fromProperties(properties))
                .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessageStartingWith(message);
    }
}
