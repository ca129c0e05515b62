package org.vigie.node.exchange;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.partner.PartnerRegistry;
import org.vigie.exchange.partner.TrustGroup;
import org.vigie.exchange.partner.TrustGroupKind;
import org.vigie.node.cli.CommandContext;
import picocli.CommandLine;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

@CommandLine.Command(name = "group", mixinStandardHelpOptions = true, description = "Manage trust groups: named sets of partners that release rules address.")
final class GroupCommand
        implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required (add, list, remove)");
    }

    @CommandLine.Command(name = "add", mixinStandardHelpOptions = true, description = "Create or replace a trust group; recorded in the audit ledger for each member.")
    static final class Add
            implements Callable<Integer>
    {
        private final CommandContext context;

        @CommandLine.Mixin
        ExchangeDataDirectory dataDirectory;

        @CommandLine.Option(names = "--name", required = true, description = "Group name, as release policies name it.")
        String name;

        @CommandLine.Option(names = "--title", description = "Readable name of the group (default: the name).")
        String title;

        @CommandLine.Option(names = "--kind", required = true, description = "bilateral (exactly one partner) or multilateral.")
        String kind;

        @CommandLine.Option(names = "--member", required = true, arity = "1..*", paramLabel = "PARTNER", description = "Partner names of the members.")
        List<String> members;

        Add(CommandContext context)
        {
            this.context = requireNonNull(context, "context is null");
        }

        @Override
        public Integer call()
        {
            TrustGroupKind groupKind = PartnerAdministration.groupKind(name, kind, "--kind");
            TrustGroup group = new TrustGroup(name, title == null ? name : title, groupKind, members);
            try (ExchangeStorage storage = dataDirectory.open(context)) {
                boolean replaced = PartnerAdministration.putGroup(storage.registry(), group);
                context.out().println((replaced ? "changed " : "added ") + groupKind.name().toLowerCase(Locale.ROOT) + " trust group " + name + ": " + String.join(", ", group.memberPartnerIds()));
                return 0;
            }
        }
    }

    @CommandLine.Command(name = "list", mixinStandardHelpOptions = true, description = "One line per trust group: name, kind, members, title.")
    static final class ListGroups
            implements Callable<Integer>
    {
        private final CommandContext context;

        @CommandLine.Mixin
        ExchangeDataDirectory dataDirectory;

        ListGroups(CommandContext context)
        {
            this.context = requireNonNull(context, "context is null");
        }

        @Override
        public Integer call()
        {
            try (ExchangeStorage storage = dataDirectory.openExisting(context)) {
                for (TrustGroup group : storage.registry().groups()) {
                    context.out().println(String.join("\t", group.id(), group.kind().name().toLowerCase(Locale.ROOT), String.join(",", group.memberPartnerIds()), group.name()));
                }
                return 0;
            }
        }
    }

    @CommandLine.Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a trust group (its partners stay); recorded in the audit ledger.")
    static final class Remove
            implements Callable<Integer>
    {
        private final CommandContext context;

        @CommandLine.Mixin
        ExchangeDataDirectory dataDirectory;

        @CommandLine.Option(names = "--name", required = true, description = "The group's name.")
        String name;

        Remove(CommandContext context)
        {
            this.context = requireNonNull(context, "context is null");
        }

        @Override
        public Integer call()
        {
            try (ExchangeStorage storage = dataDirectory.openExisting(context)) {
                PartnerRegistry registry = storage.registry();
                if (registry.group(name).isEmpty()) {
                    throw new VigieException(ErrorCode.PARTNER_NOT_FOUND, "no trust group named '" + name + "' in " + dataDirectory.dataDirectory + " (see 'vigie group list')");
                }
                registry.removeGroup(name);
                context.out().println("removed trust group " + name);
                return 0;
            }
        }
    }
}
