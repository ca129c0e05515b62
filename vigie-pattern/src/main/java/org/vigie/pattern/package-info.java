/**
 * STIX 2.1 patterning. Entry points: {@link org.vigie.pattern.PatternParser#parse(String)} gives the
 * immutable AST ({@link org.vigie.pattern.ObservationExpression}, {@link org.vigie.pattern.ComparisonExpression});
 * {@link org.vigie.pattern.Observation#fromObjects(java.util.List)} flattens observed-data once;
 * {@link org.vigie.pattern.CompiledPattern#parse(String)} and
 * {@link org.vigie.pattern.CompiledPattern#evaluate(java.util.List)} are the reference (naive) evaluator,
 * reporting which observed-data objects produced each match ({@link org.vigie.pattern.PatternMatch}).
 * MATCHES uses {@link org.vigie.pattern.PcreRegex}, which documents how PCRE maps onto java.util.regex.
 *
 * <p>Semantics, checked against STIX 2.1 section 9 as far as its text was available, and otherwise
 * against the OASIS reference tools (cti-pattern-matcher, cti-pattern-validator):
 * <ul>
 * <li>Comparisons joined by AND inside {@code [...]} must hold for the same cyber-observable object
 *     (the root object a path starts from; values reached through {@code _ref}/{@code _refs} belong to
 *     it). Section 9.5 requires AND operands to be satisfiable by one object type; the OASIS matcher
 *     intersects root objects. An AND across object types is accepted by the parser (as by the OASIS
 *     validator) but never matches (as in the OASIS matcher). OR is per object as well.</li>
 * <li>{@code ==} is accepted as equality, as the 2.1 grammar does.</li>
 * <li>A second qualifier of one kind directly after {@code [...]} is rejected (an observation expression
 *     MUST NOT have two qualifiers of a type); after a parenthesised group it is accepted and applies to
 *     the already qualified expression, as the OASIS validator's 2.1 pass cases require.</li>
 * <li>Type mismatches (checked 2026-11-22, see {@code SpecificationSemanticsTest}): a value of another
 *     type than the constant satisfies {@code !=} and no other operator, and NOT logically negates the
 *     comparison, so {@code NOT =}, {@code NOT LIKE}, {@code NOT IN} and the others hold for it. Sources:
 *     the specification's sentence "A Comparison Operator MAY be preceded by the modifier NOT, in which
 *     case the resultant Comparison Expression is logically negated" (quoted in
 *     oasis-open/cti-stix2-json-schemas#157 and oasis-tcs/cti-stix2#85), the rule that only {@code !=}
 *     is true for incompatible types (quoted in oasis-open/cti-pattern-matcher#42, fixed by #45), and the
 *     matcher's {@code stix2matcher/test/v21/test_basic_ops.py} and {@code test_null.py}. JSON null is such
 *     a value.</li>
 * <li>A missing property gives no value, so every comparison on it is false, with or without NOT
 *     (the OASIS matcher drops objects where a path step cannot be taken).</li>
 * <li>Timing: an observed-data object stands for events somewhere in its [first_observed,
 *     last_observed]; a timing constraint holds when an instant can be chosen in each bound interval that
 *     satisfies it, as the OASIS matcher does (its pull request #34 and
 *     {@code stix2matcher/test/v21/test_temporal_qualifiers.py}): FOLLOWEDBY needs the latest left
 *     first_observed at or before the earliest right last_observed; WITHIN n needs the latest
 *     first_observed at most n seconds after the earliest last_observed; START/STOP needs first_observed
 *     before stop and last_observed at or after start. The specification says "All Observations that
 *     match a MUST have an observation time &gt;= x and &lt; y" for START/STOP (2.0 wording quoted in
 *     oasis-tcs/cti-stix2#81) without saying which instant of an interval that is; its text for
 *     FOLLOWEDBY and WITHIN was not available when this was checked.</li>
 * </ul>
 * Deliberate choices where Vigie differs from the OASIS tools:
 * <ul>
 * <li>Property names containing {@code -} must be quoted, and object types must be STIX type names
 *     (lower case); the OASIS validator accepts {@code x_whatever} and an unquoted
 *     {@code windows-pebinary-ext}.</li>
 * <li>Precedence, lowest first: FOLLOWEDBY, OR, AND between observation expressions; qualifiers bind to
 *     the expression just before them; inside brackets OR then AND (the OASIS 2.1 grammar's order).</li>
 * </ul>
 */
package org.vigie.pattern;
