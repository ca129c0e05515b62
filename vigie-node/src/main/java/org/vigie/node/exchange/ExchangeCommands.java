package org.vigie.node.exchange;

import org.vigie.node.cli.CommandContext;
import picocli.CommandLine;

import static java.util.Objects.requireNonNull;

/**
 * The exchange commands of {@code vigie}: {@code partner add|list|remove}, {@code group add|list|remove},
 * {@code identity show}, {@code policy show|set}, {@code release}, {@code recall} (and {@code recall status}),
 * {@code outbox}, {@code sighting send} and {@code audit verify|query}. Exit codes as every command: 0 success, 1 a missing
 * thing or a failure of the environment, 2 invalid input (and {@code audit verify} on a broken ledger).
 */
public final class ExchangeCommands
{
    /** Names of the top-level commands added by {@link #register}, for usage messages. */
    public static final String NAMES = "partner, group, identity, policy, release, recall, outbox, sighting, audit";

    private ExchangeCommands() {}

    /** Adds the exchange commands to the {@code vigie} command line; call before setting its handlers and streams. */
    public static void register(CommandLine commandLine, CommandContext context)
    {
        requireNonNull(commandLine, "commandLine is null");
        requireNonNull(context, "context is null");
        commandLine.addSubcommand("partner", new CommandLine(new PartnerCommand())
                .addSubcommand("add", new PartnerCommand.Add(context))
                .addSubcommand("list", new PartnerCommand.ListPartners(context))
                .addSubcommand("remove", new PartnerCommand.Remove(context)));
        commandLine.addSubcommand("group", new CommandLine(new GroupCommand())
                .addSubcommand("add", new GroupCommand.Add(context))
                .addSubcommand("list", new GroupCommand.ListGroups(context))
                .addSubcommand("remove", new GroupCommand.Remove(context)));
        commandLine.addSubcommand("identity", new CommandLine(new IdentityCommand())
                .addSubcommand("show", new IdentityCommand.Show(context)));
        commandLine.addSubcommand("policy", new CommandLine(new PolicyCommand())
                .addSubcommand("show", new PolicyCommand.Show(context))
                .addSubcommand("set", new PolicyCommand.Set(context)));
        commandLine.addSubcommand("release", new ReleaseCommand(context));
        commandLine.addSubcommand("recall", new CommandLine(new RecallCommand(context))
                .addSubcommand("status", new RecallCommand.Status(context)));
        commandLine.addSubcommand("outbox", new OutboxCommand(context));
        commandLine.addSubcommand("sighting", new CommandLine(new SightingCommand())
                .addSubcommand("send", new SightingCommand.Send(context)));
        commandLine.addSubcommand("audit", new CommandLine(new AuditCommand())
                .addSubcommand("verify", new AuditCommand.Verify(context))
                .addSubcommand("query", new AuditCommand.Query(context)));
    }
}
