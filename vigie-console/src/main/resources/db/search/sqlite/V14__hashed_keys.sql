-- Entries and edge ends found through 64-bit hashes (SearchKeys) instead of B-tree keys on the texts of collection and
-- object ids. Measured at 200,000 entries: the index on (collection_id, object_id) took 20 MiB, the edge ends 21 MiB
-- and the name index 16 MiB, each written at random, so every indexing transaction rewrote most of their pages
-- (to the write-ahead log, then to the file). Eight-byte keys make these indexes several times smaller. Every query
-- still compares the texts, so two ids that share a hash are told apart.
--
-- The index is derived from the store: its tables are made anew, empty, and the state is reset, so that the
-- indexer builds it again from the store's objects in the background on the next start (searches meanwhile say
-- how far behind the index is).
DROP TABLE search_edge_ends;
DROP TABLE search_text;
DROP TABLE search_entries;

-- One row per (collection, object id), as in V10, its key given by the indexer (one above the highest); object_hash is SearchKeys.hash(object_id), collection_hash
-- SearchKeys.hash(collection_id).
CREATE TABLE search_entries (
    entry_key INTEGER PRIMARY KEY,
    collection_id TEXT NOT NULL,
    collection_hash BIGINT NOT NULL,
    object_id TEXT NOT NULL,
    object_hash BIGINT NOT NULL,
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
-- Not unique: the indexer keeps one entry per (collection, object id) by replacing it under the state row's lock.
CREATE INDEX search_entries_by_object ON search_entries (object_hash);
CREATE INDEX search_entries_by_name ON search_entries (collection_hash, name_key);
CREATE INDEX search_entries_by_sighted ON search_entries (collection_id, sighted_ref, marking_refs, sighting_time, sighting_count) WHERE sighted_ref IS NOT NULL;
CREATE INDEX search_entries_by_sighting_marking ON search_entries (collection_id, marking_refs, created_by_ref, sighting_time, sighting_count, sighted_ref)
    WHERE sighted_ref IS NOT NULL;
CREATE INDEX search_entries_by_sighting_time ON search_entries (collection_id, sighting_time, marking_refs, sighting_count, sighted_ref) WHERE sighted_ref IS NOT NULL;

-- The ends of each entry's graph edges: end_hash is SearchKeys.hash of the collection id and the end's object id.
CREATE TABLE search_edge_ends (
    end_hash BIGINT NOT NULL,
    entry_key BIGINT NOT NULL,
    PRIMARY KEY (end_hash, entry_key)
) WITHOUT ROWID;

-- The words, as in V10, but with rowids only (detail=none: no column or position lists, which only phrase and NEAR
-- queries need; a query here is one word per phrase) and the ascii tokenizer, which splits on ASCII separators only:
-- the text is Vigie's words already, lower-cased and space-separated, so each is exactly one token (unicode61 could
-- split a word Java takes as one, such as one holding a combining mark after lower-casing, into a phrase of two).
-- Measured with SearchWriterBenchmark, alternating rounds: about 4 µs less per entry.
CREATE VIRTUAL TABLE search_text USING fts5(words, content='', contentless_delete=1, prefix='1 2 3', detail=none, tokenize='ascii');

UPDATE search_state SET cursor_text = NULL, built = FALSE, build_collection = NULL, build_next = NULL;
