package org.vigie.kafka;

import tools.jackson.databind.JsonNode;

import java.util.List;

/**
 * Where observations wait for the matching workers: topic {@code <prefix>observations}, partitioned, one record
 * per observed-data (with the objects it references) keyed by the observed-data id.
 */
public interface ObservationLog
        extends AutoCloseable
{
    /** Opens the log, creating its topic with {@link KafkaConfig#partitions()} partitions when it does not exist. */
    static ObservationLog open(KafkaConfig config)
    {
        return KafkaObservationLog.open(config);
    }

    /** The topic name for a configuration. */
    static String topic(KafkaConfig config)
    {
        return KafkaTopics.observations(config);
    }

    /**
     * Sends one observed-data with the objects it references (any others given are left out). Durable only after
     * {@link #flush}, which also runs by itself every 10,000 sends.
     */
    void publish(JsonNode observedData, List<JsonNode> objects);

    /** Sends every observed-data among {@code objects} (a bundle's objects), each with what it references; returns how many. */
    int publishAll(List<JsonNode> objects);

    /**
     * Sends every observed-data among {@code objects}, each with what it references, and waits until the broker has
     * acknowledged these (and only these: calls from other threads neither wait for nor answer for each other);
     * returns how many. Fails naming the first error, when some may have been sent: a retry sends them again, under
     * the same keys (observed-data ids), and the workers' sightings of them have the same ids.
     */
    int publishAcknowledged(List<JsonNode> objects);

    /** Waits until every observation sent so far is acknowledged by all in-sync replicas; fails naming the first error. */
    void flush();

    @Override
    void close();
}
