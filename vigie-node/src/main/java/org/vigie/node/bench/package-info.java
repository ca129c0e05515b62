/**
 * End-to-end benchmarks of the node, run by {@code vigie bench}. Entry point:
 * {@link org.vigie.node.bench.NodeBenchmarks}.
 */
package org.vigie.node.bench;
