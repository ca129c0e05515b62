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
        send(observedData, byId(objects));
    }

    @Override
    public synchronized int publishAll(List<JsonNode> objects)
    {
        requireNonNull(objects, "objects is null");
        // Indexed once for the whole list, not once per observed-data.
        Map<String, JsonNode> byId = byId(objects);
        int published = 0;
        for (JsonNode object : objects) {
            if (isObservedData(object)) {
                send(object, byId);
                published++;
            }
        }
        return published;
    }

    @Override
    public int publishAcknowledged(List<JsonNode> objects)
    {
        requireNonNull(objects, "objects is null");
        Map<String, JsonNode> byId = byId(objects);
        // Not synchronized: the producer is thread-safe, and concurrent callers share its batches.
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (JsonNode object : objects) {
            if (isObservedData(object)) {
                sends.add(producer.send(record(object, byId)));
            }
        }
        for (Future<RecordMetadata> send : sends) {
            KafkaClients.acknowledged(send, where());
        }
        return sends.size();
    }

    private void send(JsonNode observedData, Map<String, JsonNode> byId)
    {
        unacknowledged.add(producer.send(record(observedData, byId)));
        if (unacknowledged.size() >= MAXIMUM_UNACKNOWLEDGED) {
            flush();
        }
    }

    /** Keyed by the observed-data id, so that a record sent again lands in the same partition. */
    private ProducerRecord<String, String> record(JsonNode observedData, Map<String, JsonNode> byId)
    {
        // Encoded first: it refuses an observed-data without an id, which the key needs.
        String value = ObservationRecords.encode(observedData, ObservationRecords.reachable(observedData, byId));
        return new ProducerRecord<>(topic, observedData.get("id").stringValue(), value);
    }

    private static Map<String, JsonNode> byId(List<JsonNode> objects)
    {
        Map<String, JsonNode> byId = new HashMap<>();
        for (JsonNode object : objects) {
            if (object.path("id").isString()) {
                byId.put(object.get("id").stringValue(), object);
            }
        }
        return byId;
    }

    private static boolean isObservedData(JsonNode object)
    {
        return "observed-data".equals(object.path("type").asString(null));
    }

    private String where()
    {
        return "observation log " + topic + " on " + config.bootstrapServers();
    }

    @Override
    public synchronized void flush()
    {
        producer.flush();
        try {
            for (Future<RecordMetadata> send : unacknowledged) {
                KafkaClients.acknowledged(send, where());
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
