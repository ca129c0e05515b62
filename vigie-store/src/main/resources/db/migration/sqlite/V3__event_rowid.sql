-- The event's sequence becomes the table's rowid (exactly "INTEGER PRIMARY KEY"): declared BIGINT it was kept in a
-- separate unique index, one more B-tree to update for every object an import stores. Same columns and meanings.
CREATE TABLE events_by_sequence (
    sequence INTEGER PRIMARY KEY,
    collection_id TEXT NOT NULL,
    object_id TEXT NOT NULL,
    version TEXT NOT NULL,
    kind TEXT NOT NULL,
    date_added BIGINT NOT NULL
);
INSERT INTO events_by_sequence (sequence, collection_id, object_id, version, kind, date_added)
    SELECT sequence, collection_id, object_id, version, kind, date_added FROM events;
DROP TABLE events;
ALTER TABLE events_by_sequence RENAME TO events;
