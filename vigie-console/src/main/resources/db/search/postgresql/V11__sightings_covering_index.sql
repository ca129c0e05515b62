-- The Detection screen reads every sighting of a collection: from an index holding what it reads (index-only
-- scans), rather than one random table page per sighting.
DROP INDEX search_entries_by_sighted;
CREATE INDEX search_entries_by_sighted ON search_entries (collection_id, sighted_ref)
    INCLUDE (entry_key, object_id, type, name, version, date_added, created_by_ref, marking_refs, sighting_time, sighting_count) WHERE sighted_ref IS NOT NULL;
