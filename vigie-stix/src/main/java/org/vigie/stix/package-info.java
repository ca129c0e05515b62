/**
 * STIX 2.1: the stored object value {@link org.vigie.stix.StixObject} and
 * {@link org.vigie.stix.Timestamps}.
 */
package org.vigie.stix;
