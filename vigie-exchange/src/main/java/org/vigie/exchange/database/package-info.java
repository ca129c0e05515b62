/**
 * The exchange's own tables on the node's database (SQLite {@code exchange.db}, or the store's PostgreSQL in
 * schema {@code vigie_exchange}), migrated by Flyway per vendor, and transactions that span them and the audit
 * ledger. Entry points: {@link org.vigie.exchange.database.ExchangeDatabase}; per-partner delivery leases for
 * replicas, {@link org.vigie.exchange.database.DeliveryLeases}; the copy of a node's exchange state to another
 * database, {@link org.vigie.exchange.database.ExchangeMigration}; outbox figures for monitoring,
 * {@link org.vigie.exchange.database.OutboxMonitor}; the wake-up of a replica's delivery when any replica
 * queues outbox entries on PostgreSQL, {@link org.vigie.exchange.database.OutboxListener}.
 */
package org.vigie.exchange.database;
