-- The Detection screen counts in SQL (SightingQueries) instead of reading every sighting: narrow indexes that
-- hold what each count reads, in the order it groups by. The wide index of V11 (every column of the row, read
-- one sighting at a time) is no longer read.
DROP INDEX search_entries_by_sighted;
-- The most sighted objects: grouped by sighted object.
CREATE INDEX search_entries_by_sighted ON search_entries (collection_id, sighted_ref, marking_refs, sighting_time, sighting_count) WHERE sighted_ref IS NOT NULL;
-- The marking sets and creators (checked once each, per partner counts): grouped without sorting. sighted_ref is
-- in the index so that SQLite reads the index alone.
CREATE INDEX search_entries_by_sighting_marking ON search_entries (collection_id, marking_refs, created_by_ref, sighting_time, sighting_count, sighted_ref)
    WHERE sighted_ref IS NOT NULL;
-- The latest sightings (read backwards, a few rows) and the time chart.
CREATE INDEX search_entries_by_sighting_time ON search_entries (collection_id, sighting_time, marking_refs, sighting_count, sighted_ref) WHERE sighted_ref IS NOT NULL;
