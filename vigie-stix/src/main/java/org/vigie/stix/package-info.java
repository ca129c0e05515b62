/**
 * STIX 2.1: the stored object value {@link org.vigie.stix.StixObject}, {@link org.vigie.stix.Timestamps},
 * the streaming {@link org.vigie.stix.BundleReader} (yielding {@link org.vigie.stix.ParsedObject}s),
 * {@link org.vigie.stix.StixTypes} with {@link org.vigie.stix.ObjectCategory}, and deterministic SCO
 * identifiers {@link org.vigie.stix.ScoIdentifiers}.
 */
package org.vigie.stix;
