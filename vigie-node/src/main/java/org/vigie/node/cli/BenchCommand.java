package org.vigie.node.cli;

import picocli.CommandLine;

import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

@CommandLine.Command(name = "bench", mixinStandardHelpOptions = true, description = "End-to-end benchmarks of the node.")
final class BenchCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    BenchCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        return Main.FAILURE;
    }
}
