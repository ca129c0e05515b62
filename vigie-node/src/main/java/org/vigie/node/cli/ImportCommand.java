package org.vigie.node.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.vigie.node.config.NodeConfig;
import org.vigie.node.transfer.BundleImporter;
import org.vigie.node.transfer.ImportListener;
import org.vigie.node.transfer.ImportSummary;
import org.vigie.node.transfer.ObjectChecks;
import org.vigie.store.ObjectStore;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

@CommandLine.Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Import STIX bundles into a collection; valid objects are stored, invalid ones reported with the reason.",
                "Safe to run while the node serves the same data directory. Exit code 0 when everything was accepted, 2 when something was rejected."})
final class ImportCommand
        implements Callable<Integer>
{
    /** Prefix of the machine-readable progress lines, one per committed batch. */
    static final String COMMITTED_PREFIX = "committed ";

    private final CommandContext context;

    @CommandLine.Mixin
    DataDirectoryOption dataDirectory;

    @CommandLine.Option(names = "--collection", required = true, paramLabel = "ID", description = "Id of the collection to import into.")
    String collectionId;

    @CommandLine.Option(names = "--batch-size", paramLabel = "N", description = "Objects per transaction (overrides node.import.batch-size).")
    Integer batchSize;

    @CommandLine.Option(names = "--progress-lines", description = "Print '" + COMMITTED_PREFIX + "<objects> stored=<n> duplicates=<n>' on standard output after each durable batch.")
    boolean progressLines;

    @CommandLine.Option(names = "--no-validation", description = "Check only the object header (id, type, timestamps), not every specification rule.")
    boolean noValidation;

    @CommandLine.Parameters(arity = "1..*", paramLabel = "FILE|DIR", description = "Bundles to import; directories are searched for *.json files.")
    List<Path> inputs;

    ImportCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        NodeConfig config = dataDirectory.load(batchSize == null ? Map.of() : Map.of(NodeConfig.IMPORT_BATCH_SIZE, batchSize.toString()));
        List<Path> files = BundleImporter.expand(inputs);
        long totalBytes = BundleImporter.totalBytes(files);
        ImportSummary summary;
        try (ObjectStore store = context.openStore(config);
                ProgressBar progressBar = progressBar(totalBytes)) {
            BundleImporter importer = BundleImporter.create(store, noValidation ? ObjectChecks.headerOnly() : ObjectChecks.specification(), config.importBatchSize());
            summary = importer.importFiles(collectionId, files, new ImportListener()
            {
                @Override
                public void bytesRead(long total)
                {
                    if (progressBar != null) {
                        progressBar.stepTo(total);
                    }
                }

                @Override
                public void committed(long committed, long stored, long duplicates)
                {
                    if (progressLines) {
                        context.out().println(COMMITTED_PREFIX + committed + " stored=" + stored + " duplicates=" + duplicates);
                        context.out().flush();
                    }
                }
            });
        }
        printSummary(files.size(), summary);
        return summary.clean() ? Main.OK : Main.INVALID_INPUT;
    }

    private ProgressBar progressBar(long totalBytes)
    {
        if (!context.terminal() || progressLines) {
            return null;
        }
        return new ProgressBarBuilder()
                .setTaskName("import")
                .setInitialMax(totalBytes)
                .setUnit(" MiB", 1 << 20)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(context.err()))
                .showSpeed()
                .build();
    }

    private void printSummary(int fileCount, ImportSummary summary)
    {
        context.out().println("imported " + summary.read() + " objects from " + fileCount + (fileCount == 1 ? " file" : " files") + ": "
                + summary.stored() + " stored, " + summary.duplicates() + " duplicates, " + summary.rejected().size() + " rejected, " + summary.warnings().size() + " with warnings"
                + (summary.failedFiles().isEmpty() ? "" : ", " + summary.failedFiles().size() + " unreadable files"));
        for (ImportSummary.Rejection rejection : summary.rejected()) {
            context.out().println("rejected: " + rejection);
        }
        for (ImportSummary.Rejection warning : summary.warnings()) {
            context.out().println("warning: " + warning);
        }
        for (ImportSummary.FileFailure failure : summary.failedFiles()) {
            context.out().println("unreadable: " + failure);
        }
    }
}
