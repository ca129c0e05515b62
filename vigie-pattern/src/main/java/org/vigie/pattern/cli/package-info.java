/**
 * The logic of the pattern commands, as plain Java for the command line of vigie-node. Entry points:
 * {@link org.vigie.pattern.cli.PatternValidateTool#run(java.util.List, java.io.PrintStream)},
 * {@link org.vigie.pattern.cli.PatternEvalTool#run(java.io.BufferedReader, java.io.Writer)},
 * {@link org.vigie.pattern.cli.MatchTool#run(java.util.List, java.io.InputStream, java.io.OutputStream, java.time.InstantSource, java.util.Optional)}.
 */
package org.vigie.pattern.cli;
