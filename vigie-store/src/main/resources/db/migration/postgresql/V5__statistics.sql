-- ANALYZE (which the store runs as a bulk import grows the table) samples every column, and building statistics of
-- the documents' text and JSONB compared tens of thousands of wide values per run, the largest part of its cost
-- during an import. No query filters or sorts on either column, so they get none.
ALTER TABLE objects ALTER COLUMN json SET STATISTICS 0;
ALTER TABLE objects ALTER COLUMN document SET STATISTICS 0;
