-- Nothing to change on PostgreSQL: its primary key on events.sequence is the table's one index already. The
-- SQLite migration of the same number makes the sequence that table's rowid; both vendors keep one history.
SELECT 1;
