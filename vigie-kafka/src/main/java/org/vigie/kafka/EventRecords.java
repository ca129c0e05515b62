package org.vigie.kafka;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.store.events.Event;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/** How events are written to Kafka: the topic of a collection and the record value's text. */
final class EventRecords
{
    private static final String FORMAT = "1";
    private static final Pattern TOPIC_SAFE = Pattern.compile("[A-Za-z0-9.-]{1,120}");

    private EventRecords() {}

    static String collectionTopicPrefix(String topicPrefix)
    {
        return topicPrefix + "collection.";
    }

    /**
     * The topic of a collection. Ids Kafka cannot name a topic after are hex-encoded; should two ids ever share
     * a topic, nothing is lost: the record value names its collection.
     */
    static String collectionTopic(String topicPrefix, String collectionId)
    {
        String name = TOPIC_SAFE.matcher(collectionId).matches()
                ? collectionId
                : "x" + HexFormat.of().formatHex(collectionId.getBytes(StandardCharsets.UTF_8));
        return collectionTopicPrefix(topicPrefix) + (name.length() > 120 ? name.substring(0, 120) : name);
    }

    /** Tab-separated fields: format, sequence, collection, object, version (empty when none), kind, date added. */
    static String encode(Event event)
    {
        return String.join("\t",
                FORMAT,
                Long.toString(event.sequence()),
                event.collectionId(),
                event.objectId(),
                event.version().map(Instant::toString).orElse(""),
                event.kind().name(),
                event.dateAdded().toString());
    }

    static Event decode(String topic, long offset, String value)
    {
        String[] fields = value == null ? new String[0] : value.split("\t", -1);
        try {
            if (fields.length == 7 && fields[0].equals(FORMAT)) {
                return new Event(
                        Long.parseLong(fields[1]),
                        fields[2],
                        fields[3],
                        fields[4].isEmpty() ? Optional.empty() : Optional.of(Instant.parse(fields[4])),
                        Event.Kind.valueOf(fields[5]),
                        Instant.parse(fields[6]));
            }
        }
        catch (RuntimeException e) {
            throw unreadable(topic, offset, e.toString());
        }
        throw unreadable(topic, offset, "expected 7 tab-separated fields of format " + FORMAT);
    }

    private static VigieException unreadable(String topic, long offset, String why)
    {
        return new VigieException(ErrorCode.EVENT_LOG_UNAVAILABLE, "kafka topic " + topic + " offset " + offset + ": not a Vigie event record: " + why);
    }
}
