/**
 * JSON for STIX: the reading configuration {@link org.vigie.stix.json.StixJson} and the RFC 8785
 * canonical form {@link org.vigie.stix.json.CanonicalJson}.
 */
package org.vigie.stix.json;
