-- The exchange's tables, SQLite (the file exchange.db of the embedded node). The DML is shared with
-- PostgreSQL: keep column names and meanings identical. IF NOT EXISTS because files written before
-- these migrations already hold the tables (they are baselined at version 0, then this script runs).

-- The audit ledger: each entry whole as JSON text (what is hashed); the other columns index it.
CREATE TABLE IF NOT EXISTS vigie_audit_ledger (
    position BIGINT PRIMARY KEY,
    sequence BIGINT NOT NULL UNIQUE,
    recorded_at TEXT NOT NULL,
    kind TEXT NOT NULL,
    partner_id TEXT,
    entry TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS vigie_exchange_partner (
    id TEXT PRIMARY KEY,
    identity_id TEXT NOT NULL UNIQUE,
    document TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS vigie_exchange_trust_group (
    id TEXT PRIMARY KEY,
    document TEXT NOT NULL
);

-- Last accepted sequence per (sender, recipient): the inbox's replay protection.
CREATE TABLE IF NOT EXISTS vigie_exchange_received_sequence (
    sender_identity_id TEXT NOT NULL,
    recipient_identity_id TEXT NOT NULL,
    last_sequence BIGINT NOT NULL,
    PRIMARY KEY (sender_identity_id, recipient_identity_id)
);

CREATE TABLE IF NOT EXISTS vigie_exchange_outbox (
    partner_id TEXT NOT NULL,
    sequence BIGINT NOT NULL,
    envelope_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    object_ids TEXT NOT NULL,
    envelope TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    last_error TEXT,
    receipt TEXT,
    PRIMARY KEY (partner_id, sequence)
);
CREATE INDEX IF NOT EXISTS vigie_exchange_outbox_state ON vigie_exchange_outbox (state, partner_id, sequence);

CREATE TABLE IF NOT EXISTS vigie_exchange_outbox_object (
    object_id TEXT NOT NULL,
    partner_id TEXT NOT NULL,
    sequence BIGINT NOT NULL,
    kind TEXT NOT NULL,
    PRIMARY KEY (object_id, partner_id, sequence)
);

CREATE TABLE IF NOT EXISTS vigie_exchange_received_object (
    object_id TEXT NOT NULL,
    object_version TEXT NOT NULL,
    partner_id TEXT NOT NULL,
    envelope_id TEXT NOT NULL,
    handling TEXT NOT NULL,
    marking_ids TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    recalled_at BIGINT,
    PRIMARY KEY (object_id, object_version)
);

CREATE TABLE IF NOT EXISTS vigie_exchange_inbox_receipt (
    envelope_id TEXT PRIMARY KEY,
    partner_id TEXT NOT NULL,
    sequence BIGINT NOT NULL,
    envelope_sha256 TEXT NOT NULL,
    receipt TEXT NOT NULL,
    received_at BIGINT NOT NULL
);

-- One row, updated first by every write transaction: its row lock serialises the exchange's writers
-- across processes (replicas on one PostgreSQL), as SQLite's single writer does, so that sequence
-- numbers and the ledger's hash chain are always taken from the latest committed state.
CREATE TABLE IF NOT EXISTS vigie_exchange_writer (
    id INTEGER PRIMARY KEY,
    transactions BIGINT NOT NULL
);
INSERT INTO vigie_exchange_writer (id, transactions) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;

-- The release policy in effect (one row), shared by every process of the node.
CREATE TABLE IF NOT EXISTS vigie_exchange_policy (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    document TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    set_at BIGINT NOT NULL
);

-- The node's exchange identity (public part): every replica must sign as this identity.
CREATE TABLE IF NOT EXISTS vigie_exchange_node_identity (
    id INTEGER PRIMARY KEY,
    identity_id TEXT NOT NULL,
    public_key TEXT NOT NULL
);

-- Which process delivers a partner's outbox, until when (epoch milliseconds of the owner's clock).
CREATE TABLE IF NOT EXISTS vigie_exchange_delivery_lease (
    partner_id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
