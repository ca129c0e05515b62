-- Nothing to change on SQLite, which has no JSONB column: the PostgreSQL migration of the same number makes the
-- JSONB form of each document computed on read instead of stored. Both vendors keep one history.
SELECT 1;
