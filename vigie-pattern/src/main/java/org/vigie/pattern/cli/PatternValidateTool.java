package org.vigie.pattern.cli;

import org.vigie.error.VigieException;
import org.vigie.pattern.PatternParser;

import java.io.PrintStream;
import java.util.List;

/** {@code vigie pattern validate PATTERN...}: one line per pattern, "valid: ..." or "invalid: ...: why". */
public final class PatternValidateTool
{
    private PatternValidateTool() {}

    /** Exit code 0 when every pattern is valid, 1 when one is not, 2 when no pattern was given. */
    public static int run(List<String> patterns, PrintStream out)
    {
        if (patterns.isEmpty()) {
            out.println("no pattern given: vigie pattern validate PATTERN...");
            return 2;
        }
        int exitCode = 0;
        for (String pattern : patterns) {
            try {
                PatternParser.parse(pattern);
                out.println("valid: " + pattern);
            }
            catch (VigieException e) {
                out.println("invalid: " + pattern + ": " + e.getMessage());
                exitCode = 1;
            }
        }
        out.flush();
        return exitCode;
    }
}
