/**
 * The network half of the exchange: releases queued in a durable per-partner outbox, pushed over
 * HTTPS with mutual TLS, received by an inbox mounted on the TAXII server, with receipts, recalls,
 * partner pulls and sightings back. Entry points: {@link org.vigie.exchange.service.ExchangeService}
 * (created with {@link org.vigie.exchange.service.ExchangeService#create}), its configuration
 * {@link org.vigie.exchange.service.ExchangeConfig} and {@link org.vigie.exchange.service.LocalNode}.
 */
package org.vigie.exchange.service;
