package org.vigie.node.cli;

import org.vigie.pattern.cli.PatternEvalTool;
import org.vigie.pattern.cli.PatternValidateTool;
import picocli.CommandLine;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

@CommandLine.Command(name = "pattern", mixinStandardHelpOptions = true, description = "STIX patterning tools.")
final class PatternCommand
        implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required (validate, eval)");
    }

    @CommandLine.Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Check STIX patterns: one line per pattern, 'valid: ...' or 'invalid: ...: why'. Exit code 0 when all are valid, 2 otherwise.")
    static final class Validate
            implements Callable<Integer>
    {
        private final CommandContext context;

        @CommandLine.Parameters(arity = "1..*", paramLabel = "PATTERN", description = "Patterns, each one argument (quote them).")
        List<String> patterns;

        Validate(CommandContext context)
        {
            this.context = requireNonNull(context, "context is null");
        }

        @Override
        public Integer call()
        {
            // The tool answers 1 for an invalid pattern; the command line reports invalid input as 2 everywhere.
            return PatternValidateTool.run(patterns, context.out()) == 0 ? Main.OK : Main.INVALID_INPUT;
        }
    }

    @CommandLine.Command(name = "eval", mixinStandardHelpOptions = true,
            description = {"Evaluate patterns against observed data: reads JSON lines {\"pattern\": \"...\", \"observed\": [objects]} on standard input,",
                    "writes one line per case {\"result\": \"match\"|\"no-match\"|\"invalid\", ...} on standard output."})
    static final class Eval
            implements Callable<Integer>
    {
        private final CommandContext context;

        Eval(CommandContext context)
        {
            this.context = requireNonNull(context, "context is null");
        }

        @Override
        public Integer call()
        {
            BufferedReader in = new BufferedReader(new InputStreamReader(context.in(), StandardCharsets.UTF_8));
            Writer out = new OutputStreamWriter(context.out(), StandardCharsets.UTF_8);
            return PatternEvalTool.run(in, out);
        }
    }
}
