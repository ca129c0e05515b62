package org.vigie.node.cli;

import org.vigie.node.server.NodeStores;
import org.vigie.screening.ListDiff;
import org.vigie.screening.SanctionsList;
import org.vigie.screening.SanctionsLists;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

@CommandLine.Command(name = "lists", mixinStandardHelpOptions = true, description = "Sanctions lists used by screening.")
final class ListsCommand
        implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required (show, update)");
    }

    @CommandLine.Command(name = "show", mixinStandardHelpOptions = true, description = "The lists in effect: name, version, designations, source.")
    static final class Show
            implements Callable<Integer>
    {
        private final CommandContext context;

        @CommandLine.Mixin
        DataDirectoryOption dataDirectory;

        Show(CommandContext context)
        {
            this.context = requireNonNull(context, "context is null");
        }

        @Override
        public Integer call()
        {
            for (SanctionsList list : SanctionsListFiles.effective(dataDirectory.dataDirectory)) {
                context.out().println(list.name() + "\t" + list.version() + "\t" + list.designations().size() + "\t" + list.source());
            }
            return Main.OK;
        }
    }

    @CommandLine.Command(name = "update", mixinStandardHelpOptions = true,
            description = {"Install a newer list in the data directory: a UN consolidated list .xml file, or a directory with OFAC's sdn.csv, alt.csv and add.csv.",
                    "The list is parsed first (a malformed one replaces nothing); prints what was added, changed and removed."})
    static final class Update
            implements Callable<Integer>
    {
        private final CommandContext context;

        @CommandLine.Mixin
        DataDirectoryOption dataDirectory;

        @CommandLine.Option(names = "--from", required = true, paramLabel = "PATH", description = "The new list.")
        Path source;

        Update(CommandContext context)
        {
            this.context = requireNonNull(context, "context is null");
        }

        @Override
        public Integer call()
        {
            NodeStores.prepareDataDirectory(dataDirectory.dataDirectory);
            List<SanctionsList> before = SanctionsListFiles.effective(dataDirectory.dataDirectory);
            SanctionsList installed = SanctionsListFiles.install(dataDirectory.dataDirectory, source);
            List<SanctionsList> after = SanctionsListFiles.effective(dataDirectory.dataDirectory);
            ListDiff diff = SanctionsLists.diff(before, after);
            context.out().println("installed " + installed.name() + " " + installed.version() + " (" + installed.designations().size() + " designations) from " + source
                    + ": " + diff.added().size() + " added, " + diff.changed().size() + " changed, " + diff.removed().size() + " removed");
            return Main.OK;
        }
    }
}
