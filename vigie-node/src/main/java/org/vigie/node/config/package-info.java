/**
 * The node's configuration. Entry point: {@link org.vigie.node.config.NodeConfig#load}, which reads
 * {@code <data-dir>/vigie.properties}, applies command-line overrides and validates every key.
 */
package org.vigie.node.config;
