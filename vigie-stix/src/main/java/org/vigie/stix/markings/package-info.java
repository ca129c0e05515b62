/**
 * Traffic Light Protocol markings: {@link org.vigie.stix.markings.TlpMarkings} and its
 * {@link org.vigie.stix.markings.TlpMarkings.Tlp} levels with their marking-definition objects.
 */
package org.vigie.stix.markings;
