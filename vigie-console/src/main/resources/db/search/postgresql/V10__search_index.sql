-- The console's persistent search index, PostgreSQL: schema vigie_search of the store's database, shared by
-- the node's replicas. Shared DML with SQLite except the word index: here a tsvector column with a GIN index.

-- One row per (collection, object id): the object's latest version as a search result, the graph and the
-- Detection screen show it. entry_key grows as entries are written, so a higher key is a newer entry.
-- Times are microseconds since the epoch; marking_refs is space-separated; marking_properties and edges are JSON.
CREATE TABLE search_entries (
    entry_key BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    collection_id TEXT NOT NULL,
    object_id TEXT NOT NULL,
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    -- byte order, as on SQLite: names starting with the query are found by a range of this column
    name_key TEXT COLLATE "C" NOT NULL,
    version BIGINT NOT NULL,
    date_added BIGINT NOT NULL,
    created_by_ref TEXT,
    marking_refs TEXT NOT NULL,
    marking_properties TEXT NOT NULL,
    edges TEXT NOT NULL,
    sighted_ref TEXT,
    sighting_time BIGINT,
    sighting_count BIGINT,
    -- the words tokenised by Vigie (letters and digits, lower-cased), taken as lexemes without parsing
    words TSVECTOR NOT NULL
);
CREATE UNIQUE INDEX search_entries_by_object ON search_entries (collection_id, object_id);
CREATE INDEX search_entries_by_name ON search_entries (collection_id, name_key);
CREATE INDEX search_entries_by_sighted ON search_entries (collection_id, sighted_ref) WHERE sighted_ref IS NOT NULL;
CREATE INDEX search_entries_by_words ON search_entries USING GIN (words);

-- The ends of each entry's graph edges: the entries touching an object are found without reading them all.
CREATE TABLE search_edge_ends (
    collection_id TEXT NOT NULL,
    end_id TEXT NOT NULL,
    entry_key BIGINT NOT NULL,
    PRIMARY KEY (collection_id, end_id, entry_key)
);

-- Where the indexers have got to in the store's event log (encoded cursor; null before the first build) and
-- whether the first build from the objects table is done; while it runs, the collection it reads (collections are
-- read in id order) and the page token there, so that a restarted build resumes. One row: each indexing transaction locks it, so the
-- replicas' indexers take turns and never index one event twice.
CREATE TABLE search_state (
    name TEXT PRIMARY KEY,
    cursor_text TEXT,
    built BOOLEAN NOT NULL,
    build_collection TEXT,
    build_next TEXT
);
INSERT INTO search_state (name, cursor_text, built) VALUES ('console-search', NULL, FALSE);
