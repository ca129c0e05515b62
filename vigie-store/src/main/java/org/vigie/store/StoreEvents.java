package org.vigie.store;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.store.events.Cursor;
import org.vigie.store.events.Event;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/** What the store's own event logs (SQL and in memory) share: the cursor's meaning and pending events. */
final class StoreEvents
{
    /** The one position of a store cursor: the sequence of the last event read. */
    static final String SEQUENCE = "sequence";

    private StoreEvents() {}

    /** An event appended inside a write, before its sequence is known. */
    record PendingEvent(String collectionId, String objectId, String versionKey, Event.Kind kind, long dateAddedMicros)
    {
        PendingEvent
        {
            requireNonNull(collectionId, "collectionId is null");
            requireNonNull(objectId, "objectId is null");
            requireNonNull(versionKey, "versionKey is null");
            requireNonNull(kind, "kind is null");
        }

        Event toEvent(long sequence)
        {
            return new Event(sequence, collectionId, objectId, StoreText.versionOfKey(versionKey), kind, StoreText.fromMicros(dateAddedMicros));
        }
    }

    static long sequence(Cursor cursor)
    {
        requireNonNull(cursor, "cursor is null");
        Map<String, Long> positions = cursor.positions();
        if (positions.isEmpty()) {
            return 0;
        }
        Long sequence = positions.get(SEQUENCE);
        if (positions.size() != 1 || sequence == null || sequence < 0) {
            throw new VigieException(ErrorCode.EVENT_CURSOR_INVALID, "event cursor " + cursor + " was not issued by a store's event log (expected one position '" + SEQUENCE + "')");
        }
        return sequence;
    }

    static Cursor cursor(long sequence)
    {
        return Cursor.of(Map.of(SEQUENCE, sequence));
    }

    static void checkMaximum(int maximum)
    {
        if (maximum < 1) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "event poll: maximum " + maximum + " is not positive");
        }
    }

    static void checkConsumerName(String consumerName)
    {
        requireNonNull(consumerName, "consumerName is null");
        if (consumerName.isBlank()) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "event consumer name is blank");
        }
    }
}
