-- The Detection screen reads every sighting of a collection: from an index holding what it reads, in one
-- sequential scan, rather than one random table page per sighting (100,000 sightings took 1-2 s).
DROP INDEX search_entries_by_sighted;
CREATE INDEX search_entries_by_sighted ON search_entries (collection_id, sighted_ref, object_id, type, name, version, date_added, created_by_ref,
    marking_refs, sighting_time, sighting_count) WHERE sighted_ref IS NOT NULL;
