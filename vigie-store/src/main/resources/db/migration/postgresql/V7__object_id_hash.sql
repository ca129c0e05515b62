-- Rows are found by id through a hash of it: id_hash is the first eight bytes of the SHA-256 of the id, read as a
-- big-endian signed 64-bit number (see ObjectIdHash, which computes the same value for the rows the store writes).
-- The primary key on (collection, id, version) was an index of about 85-byte entries in random order, the largest
-- cost of storing an object on the server; its replacement holds (collection, hash), 16 bytes. A (collection, id,
-- version) is still stored once: the store inserts a row only when no row of the same collection, id and version
-- exists, under the collection's row lock. Both vendors keep one history.
ALTER TABLE objects ADD COLUMN id_hash BIGINT;
UPDATE objects SET id_hash = ('x' || encode(substring(sha256(convert_to(object_id, 'UTF8')) FROM 1 FOR 8), 'hex'))::BIT(64)::BIGINT;
ALTER TABLE objects ALTER COLUMN id_hash SET NOT NULL;
CREATE INDEX objects_by_id_hash ON objects (collection_key, id_hash);
ALTER TABLE objects DROP CONSTRAINT objects_pkey;
