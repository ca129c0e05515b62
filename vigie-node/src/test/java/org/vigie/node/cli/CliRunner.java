package org.vigie.node.cli;

import org.vigie.node.server.NodeStores;
import org.vigie.taxii.auth.PasswordHasher;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;

/** Runs the command line in this process against real SQLite stores, capturing its streams. */
final class CliRunner
{
    record Result(int exitCode, String out, String err)
    {
        @Override
        public String toString()
        {
            return "exit " + exitCode + "\n--- out ---\n" + out + "\n--- err ---\n" + err;
        }
    }

    private CliRunner() {}

    static Result run(String... args)
    {
        return runWithInput("", args);
    }

    static Result runWithInput(String standardInput, String... args)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        // A fast hasher keeps user creation quick; each hash names its own work factor.
        CommandContext context = new CommandContext(
                new ByteArrayInputStream(standardInput.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                InstantSource.system(),
                false,
                NodeStores::open,
                PasswordHasher.withIterations(1_000));
        int exitCode = Main.execute(context, args);
        return new Result(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
