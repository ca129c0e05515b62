package org.vigie.node.cli;

import org.vigie.error.VigieException;
import org.vigie.node.exchange.ExchangeCommands;
import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * The {@code vigie} program. Exit codes: 0 success; 1 a failure of the environment or a missing thing
 * (file, collection, store); 2 invalid input (usage, configuration, JSON, STIX).
 */
public final class Main
{
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int INVALID_INPUT = 2;

    private Main() {}

    public static void main(String[] args)
    {
        int exitCode;
        try {
            exitCode = execute(CommandContext.system(), args);
        }
        catch (Throwable e) {
            // Picocli hands only exceptions to the handler; an Error must still end the process, with a failure.
            System.err.println("vigie: internal error: " + e);
            e.printStackTrace(System.err);
            exitCode = FAILURE;
        }
        System.exit(exitCode);
    }

    /** Runs one command in this process and returns its exit code; never calls System.exit. */
    public static int execute(CommandContext context, String... args)
    {
        CommandLine commandLine = commandLine(context);
        return commandLine.execute(args);
    }

    static CommandLine commandLine(CommandContext context)
    {
        CommandLine commandLine = new CommandLine(new VigieCommand());
        commandLine.addSubcommand("serve", new ServeCommand(context));
        commandLine.addSubcommand("collection", new CommandLine(new CollectionCommand())
                .addSubcommand("add", new CollectionCommand.Add(context))
                .addSubcommand("list", new CollectionCommand.ListCollections(context)));
        commandLine.addSubcommand("user", new CommandLine(new UserCommand())
                .addSubcommand("add", new UserCommand.Add(context)));
        commandLine.addSubcommand("import", new ImportCommand(context));
        commandLine.addSubcommand("export", new ExportCommand(context));
        commandLine.addSubcommand("validate", new ValidateCommand(context));
        commandLine.addSubcommand("generate", new GenerateCommand(context));
        commandLine.addSubcommand("pattern", new CommandLine(new PatternCommand())
                .addSubcommand("validate", new PatternCommand.Validate(context))
                .addSubcommand("eval", new PatternCommand.Eval(context)));
        commandLine.addSubcommand("match", new MatchCommand(context));
        commandLine.addSubcommand("match-worker", new MatchWorkerCommand(context));
        commandLine.addSubcommand("screen", new CommandLine(new ScreenCommand(context))
                .addSubcommand("batch", new ScreenCommand.Batch(context))
                .addSubcommand("compare", new ScreenCommand.Compare(context)));
        commandLine.addSubcommand("lists", new CommandLine(new ListsCommand())
                .addSubcommand("show", new ListsCommand.Show(context))
                .addSubcommand("update", new ListsCommand.Update(context))
                .addSubcommand("stix", new ListsStixCommand(context)));
        commandLine.addSubcommand("bench", new BenchCommand(context));
        commandLine.addSubcommand("migrate", new MigrateCommand(context));
        ExchangeCommands.register(commandLine, context);
        // Set after adding the subcommands: picocli applies these to the subcommands present at the call.
        // Enum values (such as bench --only import) are written in lower case on the command line.
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setOut(new PrintWriter(context.out(), true));
        commandLine.setErr(new PrintWriter(context.err(), true));
        commandLine.setExecutionExceptionHandler((exception, failed, parseResult) -> {
            if (exception instanceof VigieException vigieException) {
                context.err().println("vigie: error " + vigieException.errorCode().code() + ": " + vigieException.getMessage());
                return exitCode(vigieException);
            }
            context.err().println("vigie: internal error: " + exception);
            exception.printStackTrace(context.err());
            return FAILURE;
        });
        return commandLine;
    }

    static int exitCode(VigieException exception)
    {
        return switch (exception.kind()) {
            case USER_ERROR, TOO_LARGE -> INVALID_INPUT;
            case UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, CONFLICT, INTERNAL -> FAILURE;
        };
    }

    @CommandLine.Command(
            name = "vigie",
            mixinStandardHelpOptions = true,
            version = "vigie 0.1.0",
            description = "Vigie threat-intelligence exchange node: STIX 2.1 store and TAXII 2.1 server.",
            subcommandsRepeatable = false)
    static final class VigieCommand
            implements Runnable
    {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run()
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (serve, collection, user, import, export, validate, generate, pattern, match, match-worker, screen, lists, bench, migrate, " + ExchangeCommands.NAMES + ")");
        }
    }
}
