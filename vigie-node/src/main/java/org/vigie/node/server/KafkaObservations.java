package org.vigie.node.server;

import org.vigie.detection.ObservationPublisher;
import org.vigie.kafka.KafkaConfig;
import org.vigie.kafka.ObservationLog;
import tools.jackson.databind.JsonNode;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The ingest endpoint's way to the matching workers ({@code detection.ingest=kafka}): the observations topic,
 * opened at the first request rather than at start, so that a node starts (and serves everything else) while
 * Kafka is away, as its other Kafka consumers do; a request that finds it away fails and the next one tries again.
 */
final class KafkaObservations
        implements ObservationPublisher, AutoCloseable
{
    private final KafkaConfig kafka;
    private final String indicatorCollection;
    private ObservationLog log;
    private boolean closed;

    KafkaObservations(KafkaConfig kafka, String indicatorCollection)
    {
        this.kafka = requireNonNull(kafka, "kafka is null");
        this.indicatorCollection = requireNonNull(indicatorCollection, "indicatorCollection is null");
    }

    @Override
    public String indicatorCollection()
    {
        return indicatorCollection;
    }

    @Override
    public int publish(List<JsonNode> objects)
    {
        return log().publishAcknowledged(objects);
    }

    private synchronized ObservationLog log()
    {
        if (closed) {
            throw new IllegalStateException("the node is stopping: observations are no longer published");
        }
        if (log == null) {
            log = ObservationLog.open(kafka);
        }
        return log;
    }

    @Override
    public synchronized void close()
    {
        closed = true;
        if (log != null) {
            log.close();
        }
    }
}
