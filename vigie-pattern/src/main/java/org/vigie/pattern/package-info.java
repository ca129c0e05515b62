/**
 * STIX 2.1 patterning. Entry points: {@link org.vigie.pattern.PatternParser#parse(String)} gives the
 * immutable AST ({@link org.vigie.pattern.ObservationExpression}, {@link org.vigie.pattern.ComparisonExpression});
 * {@link org.vigie.pattern.Observation#fromObjects(java.util.List)} flattens observed-data once;
 * {@link org.vigie.pattern.Evaluator#evaluate(ObservationExpression, java.util.List)} is the reference
 * (naive) evaluator, reporting which observed-data objects produced each match.
 */
package org.vigie.pattern;
