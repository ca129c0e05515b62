/**
 * Partners (other services' nodes) and trust groups. Entry points:
 * {@link org.vigie.exchange.partner.PartnerRegistry} ({@code PartnerRegistry.inMemory()}, {@code PartnerRegistry.jdbc(...)}),
 * {@link org.vigie.exchange.partner.Partner}, {@link org.vigie.exchange.partner.TrustGroup}.
 */
package org.vigie.exchange.partner;
