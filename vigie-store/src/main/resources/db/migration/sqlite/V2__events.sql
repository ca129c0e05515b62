-- The event log, SQLite. The DML is shared with PostgreSQL: keep column names and meanings identical.

-- One row: the last sequence handed out. Writers take it last in their transaction and hold it until commit,
-- so sequences are assigned in commit order and a reader never sees a later sequence before an earlier one.
CREATE TABLE event_sequence (
    id INTEGER PRIMARY KEY,
    last_sequence BIGINT NOT NULL
);
INSERT INTO event_sequence (id, last_sequence) VALUES (1, 0);

-- One row per committed change; version is the version key of table objects ('' when unversioned),
-- date_added the version's date added in microseconds, kind ADDED or DELETED.
CREATE TABLE events (
    sequence BIGINT PRIMARY KEY,
    collection_id TEXT NOT NULL,
    object_id TEXT NOT NULL,
    version TEXT NOT NULL,
    kind TEXT NOT NULL,
    date_added BIGINT NOT NULL
);

-- Where named consumers (the Kafka relay, outbox workers) have got to, as encoded cursors.
CREATE TABLE event_consumers (
    name TEXT PRIMARY KEY,
    cursor_text TEXT NOT NULL
);
