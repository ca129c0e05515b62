-- Entries and edge ends found through 64-bit hashes (SearchKeys) instead of B-tree keys on the texts of collection and
-- object ids: several times smaller indexes, so that an indexing transaction rewrites fewer pages. Every query still
-- compares the texts, so two ids that share a hash are told apart. Same shape as SQLite's V14.
--
-- The index is derived from the store: its tables are made anew, empty, and the state is reset, so that the
-- indexer builds it again from the store's objects in the background on the next start.
DROP TABLE search_edge_ends;
DROP TABLE search_entries;

CREATE TABLE search_entries (
    -- given by the indexer, under the state row's lock: one above the highest (so that it can batch its inserts)
    entry_key BIGINT PRIMARY KEY,
    collection_id TEXT NOT NULL,
    collection_hash BIGINT NOT NULL,
    object_id TEXT NOT NULL,
    object_hash BIGINT NOT NULL,
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
-- Not unique: the indexer keeps one entry per (collection, object id) by replacing it under the state row's lock.
CREATE INDEX search_entries_by_object ON search_entries (object_hash);
CREATE INDEX search_entries_by_name ON search_entries (collection_hash, name_key);
CREATE INDEX search_entries_by_words ON search_entries USING GIN (words);
CREATE INDEX search_entries_by_sighted ON search_entries (collection_id, sighted_ref) INCLUDE (marking_refs, sighting_time, sighting_count) WHERE sighted_ref IS NOT NULL;
CREATE INDEX search_entries_by_sighting_marking ON search_entries (collection_id, marking_refs, created_by_ref) INCLUDE (sighting_time, sighting_count)
    WHERE sighted_ref IS NOT NULL;
CREATE INDEX search_entries_by_sighting_time ON search_entries (collection_id, sighting_time) INCLUDE (marking_refs, sighting_count) WHERE sighted_ref IS NOT NULL;

CREATE TABLE search_edge_ends (
    end_hash BIGINT NOT NULL,
    entry_key BIGINT NOT NULL,
    PRIMARY KEY (end_hash, entry_key)
);

UPDATE search_state SET cursor_text = NULL, built = FALSE, build_collection = NULL, build_next = NULL;
