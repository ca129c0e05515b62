-- The console's persistent search index, SQLite (its own file search.db beside the store's, so that the indexer
-- never waits for, nor holds, the store's single writer lock). Shared DML with PostgreSQL except the word index.

-- One row per (collection, object id): the object's latest version as a search result, the graph and the
-- Detection screen show it. entry_key grows as entries are written, so a higher key is a newer entry.
-- Times are microseconds since the epoch; marking_refs is space-separated; marking_properties and edges are JSON.
CREATE TABLE search_entries (
    entry_key INTEGER PRIMARY KEY,
    collection_id TEXT NOT NULL,
    object_id TEXT NOT NULL,
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    version BIGINT NOT NULL,
    date_added BIGINT NOT NULL,
    created_by_ref TEXT,
    marking_refs TEXT NOT NULL,
    marking_properties TEXT NOT NULL,
    edges TEXT NOT NULL,
    sighted_ref TEXT,
    sighting_time BIGINT,
    sighting_count BIGINT
);
CREATE UNIQUE INDEX search_entries_by_object ON search_entries (collection_id, object_id);
-- name_key is the lower-cased name: names starting with the query rank first and are found by range.
CREATE INDEX search_entries_by_name ON search_entries (collection_id, name_key);
CREATE INDEX search_entries_by_sighted ON search_entries (collection_id, sighted_ref) WHERE sighted_ref IS NOT NULL;

-- The ends of each entry's graph edges: the entries touching an object are found without reading them all.
CREATE TABLE search_edge_ends (
    collection_id TEXT NOT NULL,
    end_id TEXT NOT NULL,
    entry_key BIGINT NOT NULL,
    PRIMARY KEY (collection_id, end_id, entry_key)
) WITHOUT ROWID;

-- The words of each entry (rowid = entry_key), tokenised by Vigie (letters and digits, lower-cased) and
-- stored space-separated; contentless, the entries table holds what a result shows. Prefix indexes make
-- search-as-you-type on one to three letters cheap.
CREATE VIRTUAL TABLE search_text USING fts5(words, content='', contentless_delete=1, prefix='1 2 3', tokenize='unicode61 remove_diacritics 0');

-- Where the indexer has got to in the store's event log (encoded cursor; null before the first build) and
-- whether the first build from the objects table is done; while it runs, the collection it reads (collections are
-- read in id order) and the page token there, so that a restarted build resumes. One row, locked by each indexing transaction.
CREATE TABLE search_state (
    name TEXT PRIMARY KEY,
    cursor_text TEXT,
    built BOOLEAN NOT NULL,
    build_collection TEXT,
    build_next TEXT
);
INSERT INTO search_state (name, cursor_text, built) VALUES ('console-search', NULL, FALSE);
