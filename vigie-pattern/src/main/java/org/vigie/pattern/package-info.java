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
 * </ul>
 * Deliberate choices where Vigie differs from the OASIS matcher or the spec text was not available:
 * <ul>
 * <li>A comparison between values of different types gives no verdict, so it is false with or without
 *     NOT; a missing property is false with or without NOT (the OASIS matcher agrees on missing
 *     properties but lets NOT turn a type mismatch into true).</li>
 * <li>Timing uses whole observation intervals: FOLLOWEDBY needs every left last_observed at or before
 *     every right first_observed; WITHIN needs earliest first_observed to latest last_observed within
 *     the window (inclusive); START/STOP needs start &lt;= first_observed and last_observed &lt; stop.
 *     The OASIS matcher is more permissive: it accepts a binding when some instant can be chosen in each
 *     observation's interval that satisfies the constraint.</li>
 * <li>Property names containing {@code -} must be quoted, and object types must be STIX type names
 *     (lower case); the OASIS validator accepts {@code x_whatever} and an unquoted
 *     {@code windows-pebinary-ext}.</li>
 * <li>Precedence, lowest first: FOLLOWEDBY, OR, AND between observation expressions; qualifiers bind to
 *     the expression just before them; inside brackets OR then AND (the OASIS 2.1 grammar's order).</li>
 * </ul>
 */
package org.vigie.pattern;
