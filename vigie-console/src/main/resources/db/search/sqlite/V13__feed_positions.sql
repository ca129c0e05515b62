-- The live feed's resumption bases (FeedPositions): with an event log of many positions (Kafka: one per
-- collection), an SSE id names a base saved here under a short random token, plus what moved since. Shared by
-- the replicas, so that a console reconnecting to another replica resumes too; rows older than a day go.
CREATE TABLE feed_positions (
    token TEXT PRIMARY KEY,
    position TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX feed_positions_by_created ON feed_positions (created_at);
