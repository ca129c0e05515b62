package org.vigie.node.cli;

import org.vigie.node.transfer.BundleExporter;
import org.vigie.store.ObjectStore;
import picocli.CommandLine;

import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

@CommandLine.Command(name = "export", mixinStandardHelpOptions = true, description = "Write a collection as a STIX 2.1 bundle on standard output.")
final class ExportCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @CommandLine.Mixin
    DataDirectoryOption dataDirectory;

    @CommandLine.Option(names = "--collection", required = true, paramLabel = "ID", description = "Id of the collection to export.")
    String collectionId;

    @CommandLine.Option(names = "--all-versions", description = "Every stored version of each object, not only the latest.")
    boolean allVersions;

    ExportCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        try (ObjectStore store = context.openStore(dataDirectory.load())) {
            BundleExporter.export(store, collectionId, allVersions, context.out());
        }
        context.out().flush();
        return Main.OK;
    }
}
