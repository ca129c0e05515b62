package org.vigie.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Readiness and lag as a node reads them, against a real broker started in-process. */
class KafkaHealthTest
{
    @Test
    void reportsReachabilityAndTheWorkersLagAsRecordsArriveAndAreCommitted()
            throws Exception
    {
        KafkaConfig config;
        try (KafkaTestCluster cluster = KafkaTestCluster.start()) {
            config = KafkaConfig.defaults().withBootstrapServers(cluster.bootstrapServers()).withTopicPrefix("health.");
            String topic = KafkaTopics.observations(config);
            try (KafkaHealth health = KafkaHealth.open(config, Duration.ofSeconds(10));
                    KafkaProducer<String, String> producer = KafkaClients.producer(config, "health-test");
                    Admin admin = KafkaTestSupport.admin(cluster.bootstrapServers())) {
                assertThat(health.reachable()).isTrue();
                // Before any worker or sensor made the topic: nothing behind, not an error on every scrape.
                assertThat(health.observationLag("workers")).isZero();
                KafkaTopics.ensure(config, List.of(topic));
                assertThat(health.observationLag("workers")).isZero();

                for (int record = 0; record < 25; record++) {
                    KafkaClients.acknowledged(producer.send(new ProducerRecord<>(topic, 0, "key-" + record, "{}")), "health test");
                }
                assertThat(health.observationLag("workers")).isEqualTo(25);

                admin.alterConsumerGroupOffsets("workers", Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(10))).all().get();
                assertThat(health.observationLag("workers")).isEqualTo(15);
                assertThat(health.observationLag("another-group")).isEqualTo(25);
            }
        }
        try (KafkaHealth health = KafkaHealth.open(config, Duration.ofSeconds(1))) {
            assertThat(health.reachable()).isFalse();
        }
    }
}
