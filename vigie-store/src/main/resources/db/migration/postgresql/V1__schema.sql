-- Vigie store schema, PostgreSQL. The DML is shared with SQLite: keep column names and meanings identical.
-- Keys and versions use the "C" collation so that text order is byte order, as in SQLite.

CREATE TABLE collections (
    collection_key BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id TEXT COLLATE "C" NOT NULL UNIQUE,
    title TEXT NOT NULL,
    description TEXT,
    alias TEXT,
    media_types TEXT NOT NULL,
    -- microseconds since the epoch; dates added of the collection are strictly above it
    last_date_added BIGINT
);

CREATE TABLE objects (
    collection_key BIGINT NOT NULL,
    object_id TEXT COLLATE "C" NOT NULL,
    version TEXT COLLATE "C" NOT NULL,
    type TEXT COLLATE "C" NOT NULL,
    spec_version TEXT COLLATE "C" NOT NULL,
    created TEXT COLLATE "C",
    modified TEXT COLLATE "C",
    date_added BIGINT NOT NULL,
    -- the text exactly as received (JSONB would re-order keys and drop duplicates); document is its JSONB
    -- form for queries on object properties
    json TEXT NOT NULL,
    document JSONB GENERATED ALWAYS AS (json::jsonb) STORED,
    PRIMARY KEY (collection_key, object_id, version)
);

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
