-- The event log, PostgreSQL. The DML is shared with SQLite: keep column names and meanings identical.

-- One row: the last sequence handed out. Writers take it last in their transaction and hold its row lock
-- until commit, so sequences are assigned in commit order: an identity column would let a transaction that
-- took sequence 5 commit after one that took 6, and a reader at 6 would miss 5 for ever.
CREATE TABLE event_sequence (
    id INTEGER PRIMARY KEY,
    last_sequence BIGINT NOT NULL
);
INSERT INTO event_sequence (id, last_sequence) VALUES (1, 0);

CREATE TABLE events (
    sequence BIGINT PRIMARY KEY,
    collection_id TEXT COLLATE "C" NOT NULL,
    object_id TEXT COLLATE "C" NOT NULL,
    version TEXT COLLATE "C" NOT NULL,
    kind TEXT NOT NULL,
    date_added BIGINT NOT NULL
);

CREATE TABLE event_consumers (
    name TEXT PRIMARY KEY,
    cursor_text TEXT NOT NULL
);
