-- Rows are found by id through a hash of it: id_hash is the first eight bytes of the SHA-256 of the id (see
-- ObjectIdHash; the migration registers vigie_id_hash on its connection). The primary key on (collection, id,
-- version) was an index of about 85-byte entries in random order: every import batch rewrote most of its pages, the
-- largest cost of storing an object. Its replacement holds (collection, hash) and the rowid, about 15 bytes. A
-- (collection, id, version) is still stored once: the store inserts a row only when no row of the same collection, id
-- and version exists, under the collection's write lock, in the same statement. SQLite cannot drop a primary key, so
-- the table is rebuilt (same columns, id_hash added after object_id, rowids kept).
CREATE TABLE objects_by_hash (
    collection_key INTEGER NOT NULL,
    object_id TEXT NOT NULL,
    id_hash INTEGER NOT NULL,
    version TEXT NOT NULL,
    type TEXT NOT NULL,
    spec_version TEXT NOT NULL,
    created TEXT,
    modified TEXT,
    date_added BIGINT NOT NULL,
    json TEXT NOT NULL,
    latest INTEGER NOT NULL DEFAULT 0
);
INSERT INTO objects_by_hash (rowid, collection_key, object_id, id_hash, version, type, spec_version, created, modified, date_added, json, latest)
    SELECT rowid, collection_key, object_id, vigie_id_hash(object_id), version, type, spec_version, created, modified, date_added, json, latest
    FROM objects ORDER BY rowid;
DROP TABLE objects;
ALTER TABLE objects_by_hash RENAME TO objects;
CREATE UNIQUE INDEX objects_by_date_added ON objects (collection_key, date_added);
CREATE INDEX objects_by_type ON objects (collection_key, type, date_added);
CREATE INDEX objects_by_id_hash ON objects (collection_key, id_hash);
