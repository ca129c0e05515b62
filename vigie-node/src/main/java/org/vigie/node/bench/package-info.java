/**
 * End-to-end benchmarks of the node, run by {@code vigie bench}. Entry point:
 * {@link org.vigie.node.bench.NodeBenchmarks}; the bulk
 * pattern matcher: {@link org.vigie.node.bench.MatchBenchmark}.
 */
package org.vigie.node.bench;
