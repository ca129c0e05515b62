/**
 * The node-side operation of the sovereign exchange (docs/EXCHANGE.md, "Operating the exchange").
 * Entry points: {@link org.vigie.node.exchange.ExchangeWiring} (opens the exchange of a data directory
 * for {@code vigie serve}: database, identity key, ledger, partner registry, release policy, service and
 * delivery scheduler) and {@link org.vigie.node.exchange.ExchangeCommands} (registers the {@code partner},
 * {@code group}, {@code identity}, {@code policy}, {@code release}, {@code recall}, {@code outbox} and
 * {@code audit} commands on the {@code vigie} command line); {@link org.vigie.node.exchange.ExchangeStateCopy}
 * moves the exchange state with the store for {@code vigie migrate}.
 */
package org.vigie.node.exchange;
