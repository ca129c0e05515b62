/**
 * SHA-256 over RFC 8785 canonical JSON for everything the exchange signs or hashes:
 * {@link org.vigie.exchange.canonical.CanonicalJson} (delegates to vigie-stix).
 */
package org.vigie.exchange.canonical;
