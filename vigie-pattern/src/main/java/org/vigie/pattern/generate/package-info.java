/**
 * Seeded indicator patterns and observations in the mix the matching benchmarks name, shared by the JMH
 * benchmarks ({@code bench/}) and {@code vigie bench --only match}. Entry point:
 * {@link org.vigie.pattern.generate.PatternCorpus}.
 */
package org.vigie.pattern.generate;
