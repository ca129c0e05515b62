package org.vigie.detection;

import tools.jackson.databind.JsonNode;

import java.util.List;

/**
 * Where the ingest endpoint sends observations with {@code detection.ingest=kafka}: the matching workers'
 * observations topic. The node provides it (module vigie-kafka); this module only checks and counts what is sent.
 */
public interface ObservationPublisher
{
    /** The collection whose indicators the receiving matching workers hold: the only one ingest accepts then. */
    String indicatorCollection();

    /**
     * Sends each observed-data among {@code objects} with the objects it references, and returns once the broker has
     * acknowledged every one of them (not only once sent), with how many were sent. Safe to call from many threads.
     */
    int publish(List<JsonNode> objects);
}
