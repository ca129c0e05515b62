/**
 * STIX 2.1 patterning. Entry points: {@link org.vigie.pattern.PatternParser#parse(String)} gives the
 * immutable AST ({@link org.vigie.pattern.ObservationExpression}, {@link org.vigie.pattern.ComparisonExpression});
 * {@link org.vigie.pattern.Observation#fromObjects(java.util.List)} flattens observed-data once;
 * {@link org.vigie.pattern.CompiledPattern#parse(String)} and
 * {@link org.vigie.pattern.CompiledPattern#evaluate(java.util.List)} are the reference (naive) evaluator,
 * reporting which observed-data objects produced each match ({@link org.vigie.pattern.PatternMatch}).
 * MATCHES uses {@link org.vigie.pattern.PcreRegex}, which documents how PCRE maps onto java.util.regex.
 */
package org.vigie.pattern;
