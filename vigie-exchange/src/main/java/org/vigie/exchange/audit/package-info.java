/**
 * The hash-chained, append-only audit ledger. Entry points: {@link org.vigie.exchange.audit.AuditLedger}
 * ({@code AuditLedger.create(storage, clock)}, or {@code create(storage, clock, database::afterCommit)} to announce
 * appends when their transaction commits), {@link org.vigie.exchange.audit.LedgerStorage}
 * (SPI: {@code inMemory()}, {@code jdbc(dataSource)}), {@link org.vigie.exchange.audit.AuditQuery}.
 */
package org.vigie.exchange.audit;
