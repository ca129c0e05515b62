-- Vigie store schema, SQLite. The DML is shared with PostgreSQL: keep column names and meanings identical.

CREATE TABLE collections (
    collection_key INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    description TEXT,
    alias TEXT,
    media_types TEXT NOT NULL,
    -- microseconds since the epoch; dates added of the collection are strictly above it
    last_date_added BIGINT
);

-- One row per (collection, object id, version). version is the fixed-width text of modified, else created,
-- else '' (unversioned), so that its text order is its time order.
CREATE TABLE objects (
    collection_key INTEGER NOT NULL,
    object_id TEXT NOT NULL,
    version TEXT NOT NULL,
    type TEXT NOT NULL,
    spec_version TEXT NOT NULL,
    created TEXT,
    modified TEXT,
    date_added BIGINT NOT NULL,
    json TEXT NOT NULL,
    PRIMARY KEY (collection_key, object_id, version)
);

-- Keyset paging: pages are ranges of (collection_key, date_added), unique per collection.
CREATE UNIQUE INDEX objects_by_date_added ON objects (collection_key, date_added);
CREATE INDEX objects_by_type ON objects (collection_key, type, date_added);

CREATE TABLE statuses (
    id TEXT PRIMARY KEY,
    collection_id TEXT NOT NULL,
    status TEXT NOT NULL,
    request_timestamp TEXT NOT NULL,
    successes TEXT NOT NULL,
    failures TEXT NOT NULL,
    pendings TEXT NOT NULL
);

CREATE TABLE users (
    name TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    read_collections TEXT NOT NULL,
    write_collections TEXT NOT NULL,
    administrator BOOLEAN NOT NULL
);

CREATE TABLE tokens (
    id TEXT PRIMARY KEY,
    user_name TEXT NOT NULL REFERENCES users (name),
    secret_hash TEXT NOT NULL,
    created TEXT NOT NULL
);
