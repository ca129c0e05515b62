/**
 * Running a node: {@link org.vigie.node.server.NodeStores} opens the configured store,
 * {@link org.vigie.node.server.NodeInitializer} creates the default collection and the administrator on first
 * start, and {@link org.vigie.node.server.VigieNode} starts the TAXII server with the node's routes (liveness
 * {@code /health}, readiness {@code /ready}, Prometheus {@code /metrics} configured by
 * {@link org.vigie.node.server.MetricsConfig}).
 */
package org.vigie.node.server;
