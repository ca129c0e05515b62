-- Partners that hold an object because they read it over TAXII (or the exchange's pull) or got it in an export;
-- pushes are known from the outbox. A recall queued to the partner for the object removes its row.
CREATE TABLE vigie_exchange_read_holder (
    object_id TEXT NOT NULL,
    partner_id TEXT NOT NULL,
    read_at BIGINT NOT NULL,
    PRIMARY KEY (object_id, partner_id)
);

-- Which version of an object was already propagated to which holder (sent or recalled), by a release or by the
-- follower of the store's event log: the follower skips what is here, so a replayed event, a second replica or a
-- release that got there first never sends the same change twice.
CREATE TABLE vigie_exchange_propagated_version (
    object_id TEXT NOT NULL,
    object_version TEXT NOT NULL,
    partner_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    propagated_at BIGINT NOT NULL,
    PRIMARY KEY (object_id, object_version, partner_id)
);
