/**
 * The {@code vigie} command line. Entry point: {@link org.vigie.node.cli.Main}; {@link org.vigie.node.cli.Main#execute}
 * runs a command in-process against a {@link org.vigie.node.cli.CommandContext} (streams, clock, store opener).
 */
package org.vigie.node.cli;
