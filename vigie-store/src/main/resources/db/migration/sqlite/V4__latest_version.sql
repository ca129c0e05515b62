-- A stored "latest" marker: 1 on the row that is both the greatest version and of the greatest specification
-- version among the rows of its object in its collection, else 0. The default TAXII page (latest version,
-- latest specification version) then reads the marker of each row instead of probing the object's other rows
-- through the primary key. The store maintains it on every add and delete, under the collection's write lock.
ALTER TABLE objects ADD COLUMN latest INTEGER NOT NULL DEFAULT 0;

-- Existing stores: mark what the former predicate selected.
UPDATE objects SET latest = 1 WHERE NOT EXISTS (
    SELECT 1 FROM objects n WHERE n.collection_key = objects.collection_key AND n.object_id = objects.object_id
        AND (n.version > objects.version OR n.spec_version > objects.spec_version));
