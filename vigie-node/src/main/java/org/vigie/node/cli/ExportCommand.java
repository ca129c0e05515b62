package org.vigie.node.cli;

import org.vigie.node.config.NodeConfig;
import org.vigie.node.exchange.ExchangeWiring;
import org.vigie.node.transfer.BundleExporter;
import org.vigie.store.ObjectStore;
import org.vigie.taxii.server.PartnerView;
import picocli.CommandLine;

import java.util.Optional;
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

    @CommandLine.Option(names = "--partner", paramLabel = "ID", description = {
            "Export for this partner: only what the release policy lets it see (as its TAXII reads), references to withheld objects cut, recorded in the audit ledger.",
            "Without it, the export is the administrator's full dump of the collection."})
    String partnerId;

    ExportCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        NodeConfig config = dataDirectory.load();
        try (ObjectStore store = context.openStore(config)) {
            if (partnerId == null) {
                BundleExporter.export(store, collectionId, allVersions, context.out());
            }
            else {
                try (ExchangeWiring exchange = ExchangeWiring.openForExport(config.dataDirectory(), config.store(), store, config.toProperties(), context.clock())) {
                    exchange.registry().requirePartner(partnerId);
                    PartnerView view = exchange.partnerReads().open(partnerId, "export for partner " + partnerId);
                    BundleExporter.Result result = BundleExporter.export(store, collectionId, allVersions, Optional.of(view), context.clock(), context.out());
                    context.err().println("exported " + result.written() + " object(s) for partner " + partnerId + ", withheld " + result.withheld()
                            + (result.withheldReferences().isEmpty() ? "" : ", cut references: " + String.join(", ", result.withheldReferences()) + " (listed in a note at the end of the bundle)"));
                }
            }
        }
        context.out().flush();
        return Main.OK;
    }
}
