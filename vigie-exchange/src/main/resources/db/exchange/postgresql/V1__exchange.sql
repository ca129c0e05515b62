-- The exchange's tables, PostgreSQL (schema vigie_exchange of the store's database). The DML is shared with
-- SQLite: keep column names and meanings identical. Identifiers and texts that are sorted use
-- COLLATE "C" so that ORDER BY gives the same (binary) order as SQLite.

-- The audit ledger: each entry whole as JSON text (what is hashed); the other columns index it.
CREATE TABLE vigie_audit_ledger (
    position BIGINT PRIMARY KEY,
    sequence BIGINT NOT NULL UNIQUE,
    recorded_at TEXT NOT NULL,
    kind TEXT COLLATE "C" NOT NULL,
    partner_id TEXT COLLATE "C",
    entry TEXT NOT NULL
);

CREATE TABLE vigie_exchange_partner (
    id TEXT COLLATE "C" PRIMARY KEY,
    identity_id TEXT COLLATE "C" NOT NULL UNIQUE,
    document TEXT NOT NULL
);

CREATE TABLE vigie_exchange_trust_group (
    id TEXT COLLATE "C" PRIMARY KEY,
    document TEXT NOT NULL
);

-- Last accepted sequence per (sender, recipient): the inbox's replay protection.
CREATE TABLE vigie_exchange_received_sequence (
    sender_identity_id TEXT COLLATE "C" NOT NULL,
    recipient_identity_id TEXT COLLATE "C" NOT NULL,
    last_sequence BIGINT NOT NULL,
    PRIMARY KEY (sender_identity_id, recipient_identity_id)
);

CREATE TABLE vigie_exchange_outbox (
    partner_id TEXT COLLATE "C" NOT NULL,
    sequence BIGINT NOT NULL,
    envelope_id TEXT COLLATE "C" NOT NULL UNIQUE,
    kind TEXT COLLATE "C" NOT NULL,
    object_ids TEXT NOT NULL,
    envelope TEXT NOT NULL,
    state TEXT COLLATE "C" NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    last_error TEXT,
    receipt TEXT,
    PRIMARY KEY (partner_id, sequence)
);
CREATE INDEX vigie_exchange_outbox_state ON vigie_exchange_outbox (state, partner_id, sequence);

CREATE TABLE vigie_exchange_outbox_object (
    object_id TEXT COLLATE "C" NOT NULL,
    partner_id TEXT COLLATE "C" NOT NULL,
    sequence BIGINT NOT NULL,
    kind TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (object_id, partner_id, sequence)
);

CREATE TABLE vigie_exchange_received_object (
    object_id TEXT COLLATE "C" NOT NULL,
    object_version TEXT COLLATE "C" NOT NULL,
    partner_id TEXT COLLATE "C" NOT NULL,
    envelope_id TEXT COLLATE "C" NOT NULL,
    handling TEXT NOT NULL,
    marking_ids TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    recalled_at BIGINT,
    PRIMARY KEY (object_id, object_version)
);

CREATE TABLE vigie_exchange_inbox_receipt (
    envelope_id TEXT COLLATE "C" PRIMARY KEY,
    partner_id TEXT COLLATE "C" NOT NULL,
    sequence BIGINT NOT NULL,
    envelope_sha256 TEXT NOT NULL,
    receipt TEXT NOT NULL,
    received_at BIGINT NOT NULL
);

-- One row, updated first by every write transaction: its row lock serialises the exchange's writers
-- across processes (replicas on one PostgreSQL), as SQLite's single writer does, so that sequence
-- numbers and the ledger's hash chain are always taken from the latest committed state.
CREATE TABLE vigie_exchange_writer (
    id INTEGER PRIMARY KEY,
    transactions BIGINT NOT NULL
);
INSERT INTO vigie_exchange_writer (id, transactions) VALUES (1, 0);

-- The release policy in effect (one row), shared by every process of the node.
CREATE TABLE vigie_exchange_policy (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    document TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    set_at BIGINT NOT NULL
);

-- The node's exchange identity (public part): every replica must sign as this identity.
CREATE TABLE vigie_exchange_node_identity (
    id INTEGER PRIMARY KEY,
    identity_id TEXT COLLATE "C" NOT NULL,
    public_key TEXT NOT NULL
);

-- Which process delivers a partner's outbox, until when (epoch milliseconds of the owner's clock).
CREATE TABLE vigie_exchange_delivery_lease (
    partner_id TEXT COLLATE "C" PRIMARY KEY,
    owner TEXT COLLATE "C" NOT NULL,
    expires_at BIGINT NOT NULL
);
