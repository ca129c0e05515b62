/**
 * RFC 8785 canonical JSON used for everything Vigie signs or hashes:
 * {@link org.vigie.exchange.canonical.CanonicalJson}.
 */
package org.vigie.exchange.canonical;
