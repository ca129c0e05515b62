/**
 * Bulk matching of many indicators against a stream of observations. Entry points:
 * {@link org.vigie.pattern.match.BulkMatcher#create(java.time.InstantSource, org.vigie.pattern.match.MatcherOptions)},
 * {@link org.vigie.pattern.match.BulkMatcher#upsert(tools.jackson.databind.JsonNode)},
 * {@link org.vigie.pattern.match.BulkMatcher#match(org.vigie.pattern.Observation)}.
 */
package org.vigie.pattern.match;
