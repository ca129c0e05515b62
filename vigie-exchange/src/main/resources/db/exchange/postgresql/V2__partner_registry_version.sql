-- One row, its number raised by every change of partners or trust groups in the change's own transaction.
-- Processes cache the registry and read it again only when this number moved, so a change made by any
-- process (the CLI, another replica) is seen on the next request without re-reading every partner.
CREATE TABLE vigie_exchange_registry_version (
    id INTEGER PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO vigie_exchange_registry_version (id, version) VALUES (1, 0);
