/**
 * Realistic synthetic STIX 2.1 for benchmarks, demos and tests. Entry point:
 * {@link org.vigie.node.generate.StixGenerator}.
 */
package org.vigie.node.generate;
