package org.vigie.store;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.store.events.Cursor;
import org.vigie.store.events.Event;
import org.vigie.store.events.EventBatch;
import org.vigie.store.events.EventListener;
import org.vigie.store.events.EventLog;
import org.vigie.store.events.EventSignal;
import org.vigie.store.events.PollingSubscriptions;
import org.vigie.store.events.Subscription;
import org.vigie.store.StoreEvents.PendingEvent;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The event log in the store's own database (table {@code events}), appended by the store inside the
 * transaction of each change, so an event exists exactly when its change is committed.
 */
final class SqlEventLog
        implements EventLog
{
    // Another process (an import) may write the same database: subscribers look for its events this often.
    private static final Duration IDLE_INTERVAL = Duration.ofSeconds(1);
    private static final int SUBSCRIPTION_BATCH_SIZE = 1_000;
    // Rows per JDBC batch: bounds driver memory for very large imports.
    private static final int APPEND_BATCH_SIZE = 2_000;
    // Sequences one poll by kind looks through at most: bounds its cost when the kind is rare in a long log.
    private static final long KIND_SCAN_WINDOW = 100_000;

    private final Jdbi writer;
    private final Jdbi reader;
    private final String location;
    private final EventSignal signal = new EventSignal();

    SqlEventLog(Jdbi writer, Jdbi reader, String location)
    {
        this.writer = requireNonNull(writer, "writer is null");
        this.reader = requireNonNull(reader, "reader is null");
        this.location = requireNonNull(location, "location is null");
    }

    /**
     * Appends inside the caller's transaction. Call it last in the transaction: it locks the sequence row
     * until commit, which serialises committing writers, and the shorter that lock is held the better.
     */
    void append(Handle handle, List<PendingEvent> events)
    {
        if (events.isEmpty()) {
            return;
        }
        long last = handle.createQuery("UPDATE event_sequence SET last_sequence = last_sequence + :count WHERE id = 1 RETURNING last_sequence")
                .bind("count", events.size())
                .mapTo(Long.class)
                .one();
        long first = last - events.size() + 1;
        // Plain JDBC on the transaction's connection: an import appends one event per stored object, and the
        // fluent API's per-row named binding showed in import profiles.
        try (PreparedStatement insert = handle.getConnection().prepareStatement("""
                INSERT INTO events (sequence, collection_id, object_id, version, kind, date_added)
                VALUES (?, ?, ?, ?, ?, ?)""")) {
            for (int start = 0; start < events.size(); start += APPEND_BATCH_SIZE) {
                int end = Math.min(events.size(), start + APPEND_BATCH_SIZE);
                for (int index = start; index < end; index++) {
                    PendingEvent event = events.get(index);
                    insert.setLong(1, first + index);
                    insert.setString(2, event.collectionId());
                    insert.setString(3, event.objectId());
                    insert.setString(4, event.versionKey());
                    insert.setString(5, event.kind().name());
                    insert.setLong(6, event.dateAddedMicros());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
        catch (SQLException e) {
            throw new VigieException(ErrorCode.STORE_UNAVAILABLE, "store " + location + ": append " + events.size() + " events failed: " + e.getMessage(), e);
        }
    }

    /**
     * Appends, inside the caller's transaction, one ADDED event per object this transaction stored in a
     * collection: the rows of {@code collectionKey} whose dates added lie in {@code [fromDateAdded,
     * toDateAdded]}, a range the transaction reserved, in date order. One statement reads them back instead of
     * one insert per object sent from here, the largest part of an import's event cost. Like {@link #append},
     * call it last in the transaction.
     */
    void appendStored(Handle handle, String collectionId, long collectionKey, long fromDateAdded, long toDateAdded, long count)
    {
        if (count == 0) {
            return;
        }
        long last = handle.createQuery("UPDATE event_sequence SET last_sequence = last_sequence + :count WHERE id = 1 RETURNING last_sequence")
                .bind("count", count)
                .mapTo(Long.class)
                .one();
        // Sequences follow the dates added. When every date of the range was stored (no duplicate, as in most of
        // an import) they are the dates' offsets; otherwise rows are numbered, which costs a window over the range
        // (about 0.6 µs per row on SQLite, measured).
        boolean wholeRange = count == toDateAdded - fromDateAdded + 1;
        String sequence = wholeRange ? ":before + (o.date_added - :from) + 1" : ":before + ROW_NUMBER() OVER (ORDER BY o.date_added)";
        int appended = handle.createUpdate("""
                        INSERT INTO events (sequence, collection_id, object_id, version, kind, date_added)
                        SELECT %s, :collectionId, o.object_id, o.version, :kind, o.date_added
                        FROM objects o WHERE o.collection_key = :key AND o.date_added >= :from AND o.date_added <= :to""".formatted(sequence))
                .bind("before", last - count)
                .bind("collectionId", collectionId)
                .bind("kind", Event.Kind.ADDED.name())
                .bind("key", collectionKey)
                .bind("from", fromDateAdded)
                .bind("to", toDateAdded)
                .execute();
        if (appended != count) {
            // The range holds exactly the rows stored by the transaction; anything else is a broken invariant.
            throw new VigieException(ErrorCode.INTERNAL_ERROR, "store " + location + ": collection " + collectionId + " stored " + count + " objects but " + appended + " have dates added in the reserved range");
        }
    }

    /** Called after a commit that appended events: wakes this process's subscribers. */
    void committed()
    {
        signal.signal();
    }

    @Override
    public Cursor beginning()
    {
        return StoreEvents.cursor(0);
    }

    @Override
    public Cursor end()
    {
        return StoreEvents.cursor(call("read the end of the event log", () -> reader.withHandle(handle -> handle
                .createQuery("SELECT last_sequence FROM event_sequence WHERE id = 1")
                .mapTo(Long.class)
                .one())));
    }

    @Override
    public EventBatch poll(Cursor from, int maximum)
    {
        long after = StoreEvents.sequence(from);
        StoreEvents.checkMaximum(maximum);
        List<Event> events = call("read events after sequence " + after, () -> reader.withHandle(handle -> handle
                .createQuery("""
                        SELECT sequence, collection_id, object_id, version, kind, date_added FROM events
                        WHERE sequence > :after ORDER BY sequence LIMIT :limit""")
                .bind("after", after)
                .bind("limit", maximum)
                .map((row, context) -> new PendingEvent(
                        row.getString("collection_id"),
                        row.getString("object_id"),
                        row.getString("version"),
                        Event.Kind.valueOf(row.getString("kind")),
                        row.getLong("date_added"))
                        .toEvent(row.getLong("sequence")))
                .list()));
        Cursor next = events.isEmpty() ? StoreEvents.cursor(after) : StoreEvents.cursor(events.get(events.size() - 1).sequence());
        return new EventBatch(events, next);
    }

    /**
     * Selected in the database: events of other kinds are passed over there, not read into this process. Committed
     * sequences have no holes (writers take the sequence row in turn and commit what they took), so the cursor may
     * move to the end read before the query, or to the last event returned when the batch is full.
     */
    @Override
    public EventBatch poll(Cursor from, Event.Kind kind, int maximum)
    {
        long after = StoreEvents.sequence(from);
        requireNonNull(kind, "kind is null");
        StoreEvents.checkMaximum(maximum);
        return call("read " + kind + " events after sequence " + after, () -> reader.withHandle(handle -> {
            long end = handle.createQuery("SELECT last_sequence FROM event_sequence WHERE id = 1").mapTo(Long.class).one();
            long upTo = Math.min(end, after + KIND_SCAN_WINDOW);
            if (upTo <= after) {
                return new EventBatch(List.of(), StoreEvents.cursor(after));
            }
            List<Event> events = handle.createQuery("""
                            SELECT sequence, collection_id, object_id, version, date_added FROM events
                            WHERE sequence > :after AND sequence <= :upTo AND kind = :kind ORDER BY sequence LIMIT :limit""")
                    .bind("after", after)
                    .bind("upTo", upTo)
                    .bind("kind", kind.name())
                    .bind("limit", maximum)
                    .map((row, context) -> new PendingEvent(
                            row.getString("collection_id"),
                            row.getString("object_id"),
                            row.getString("version"),
                            kind,
                            row.getLong("date_added"))
                            .toEvent(row.getLong("sequence")))
                    .list();
            long next = events.size() == maximum ? events.get(events.size() - 1).sequence() : upTo;
            return new EventBatch(events, StoreEvents.cursor(next));
        }));
    }

    @Override
    public Subscription subscribe(Cursor from, EventListener listener)
    {
        StoreEvents.sequence(from);
        return PollingSubscriptions.start(this, from, listener, signal, IDLE_INTERVAL, SUBSCRIPTION_BATCH_SIZE);
    }

    @Override
    public Subscription subscribe(Cursor from, Event.Kind kind, EventListener listener)
    {
        StoreEvents.sequence(from);
        requireNonNull(kind, "kind is null");
        return PollingSubscriptions.start(this, from, kind, listener, signal, IDLE_INTERVAL, SUBSCRIPTION_BATCH_SIZE);
    }

    @Override
    public void saveCursor(String consumerName, Cursor cursor)
    {
        StoreEvents.checkConsumerName(consumerName);
        requireNonNull(cursor, "cursor is null");
        call("save the event cursor of consumer '" + consumerName + "'", () -> writer.withHandle(handle -> handle.createUpdate("""
                        INSERT INTO event_consumers (name, cursor_text) VALUES (:name, :cursor)
                        ON CONFLICT (name) DO UPDATE SET cursor_text = excluded.cursor_text""")
                .bind("name", consumerName)
                .bind("cursor", cursor.encode())
                .execute()));
    }

    @Override
    public Optional<Cursor> savedCursor(String consumerName)
    {
        StoreEvents.checkConsumerName(consumerName);
        return call("read the event cursor of consumer '" + consumerName + "'", () -> reader.withHandle(handle -> handle
                .createQuery("SELECT cursor_text FROM event_consumers WHERE name = :name")
                .bind("name", consumerName)
                .mapTo(String.class)
                .findOne()))
                .map(Cursor::decode);
    }

    private <T> T call(String action, Supplier<T> body)
    {
        try {
            return body.get();
        }
        catch (JdbiException e) {
            throw new VigieException(ErrorCode.STORE_UNAVAILABLE, "store " + location + ": " + action + " failed: " + e.getMessage(), e);
        }
    }
}
