-- Nothing to change on SQLite, which keeps no column statistics: the PostgreSQL migration of the same number
-- stops ANALYZE sampling the documents' columns. Both vendors keep one history.
SELECT 1;
