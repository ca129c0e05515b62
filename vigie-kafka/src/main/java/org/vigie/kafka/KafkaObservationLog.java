package org.vigie.kafka;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

import static java.util.Objects.requireNonNull;

final class KafkaObservationLog
        implements ObservationLog
{
    // Bounds the acknowledgements held between flushes, and surfaces a failed send early.
    static final int MAXIMUM_UNACKNOWLEDGED = 10_000;

    private final KafkaConfig config;
    private final String topic;
    private final KafkaProducer<String, String> producer;
    private final List<Future<RecordMetadata>> unacknowledged = new ArrayList<>();

    private KafkaObservationLog(KafkaConfig config, KafkaProducer<String, String> producer)
    {
        this.config = requireNonNull(config, "config is null");
        this.topic = KafkaTopics.observations(config);
        this.producer = requireNonNull(producer, "producer is null");
    }

    static ObservationLog open(KafkaConfig config)
    {
        requireNonNull(config, "config is null");
        KafkaTopics.ensure(config, List.of(KafkaTopics.observations(config)));
        return new KafkaObservationLog(config, KafkaClients.producer(config, "observations"));
    }

    @Override
    public synchronized void publish(JsonNode observedData, List<JsonNode> objects)
    {
        requireNonNull(observedData, "observedData is null");
        requireNonNull(objects, "objects is null");
        Map<String, JsonNode> byId = new HashMap<>();
        for (JsonNode object : objects) {
            if (object.path("id").isString()) {
                byId.put(object.get("id").stringValue(), object);
            }
        }
        String value = ObservationRecords.encode(observedData, ObservationRecords.reachable(observedData, byId));
        unacknowledged.add(producer.send(new ProducerRecord<>(topic, observedData.get("id").stringValue(), value)));
        if (unacknowledged.size() >= MAXIMUM_UNACKNOWLEDGED) {
            flush();
        }
    }

    @Override
    public synchronized int publishAll(List<JsonNode> objects)
    {
        requireNonNull(objects, "objects is null");
        int published = 0;
        for (JsonNode object : objects) {
            if ("observed-data".equals(object.path("type").asString(null))) {
                publish(object, objects);
                published++;
            }
        }
        return published;
    }

    @Override
    public synchronized void flush()
    {
        producer.flush();
        try {
            for (Future<RecordMetadata> send : unacknowledged) {
                KafkaClients.acknowledged(send, "observation log " + topic + " on " + config.bootstrapServers());
            }
        }
        finally {
            unacknowledged.clear();
        }
    }

    @Override
    public void close()
    {
        producer.close();
    }
}
