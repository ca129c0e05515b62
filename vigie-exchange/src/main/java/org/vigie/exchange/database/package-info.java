/**
 * The exchange's own tables on the node's database, and transactions that span them and the audit
 * ledger. Entry point: {@link org.vigie.exchange.database.ExchangeDatabase}.
 */
package org.vigie.exchange.database;
