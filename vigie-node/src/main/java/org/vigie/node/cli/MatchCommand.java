package org.vigie.node.cli;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.node.transfer.BundleImporter;
import org.vigie.pattern.cli.MatchTool;
import org.vigie.stix.BundleReader;
import org.vigie.store.ObjectPage;
import org.vigie.store.ObjectQuery;
import org.vigie.store.ObjectStore;
import org.vigie.store.StoredObject;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

@CommandLine.Command(name = "match", mixinStandardHelpOptions = true,
        description = {"Match observations against indicators and write one STIX sighting per match, as JSON lines on standard output.",
                "Indicators come from bundles (--indicators) or from a collection of the store (--collection); observations from FILE or standard input.",
                "A summary goes to standard error; exit code 2 when an indicator or an observation could not be used."})
final class MatchCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @CommandLine.Mixin
    DataDirectoryOption dataDirectory;

    @CommandLine.Option(names = "--indicators", paramLabel = "FILE|DIR", description = "Bundles holding the indicators; repeatable.")
    List<Path> indicatorFiles = new ArrayList<>();

    @CommandLine.Option(names = "--collection", paramLabel = "ID", description = "Take the indicators (latest versions) of this collection of the store.")
    String collectionId;

    @CommandLine.Option(names = "--created-by", paramLabel = "IDENTITY", description = "created_by_ref of the sightings.")
    String createdBy;

    @CommandLine.Parameters(arity = "0..1", paramLabel = "OBSERVATIONS", description = "Observations: a bundle, an array or JSON lines (default: standard input).")
    Path observations;

    MatchCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
            throws IOException
    {
        if (indicatorFiles.isEmpty() == (collectionId == null)) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "give the indicators either with --indicators FILE or with --collection ID, not both and not neither");
        }
        List<JsonNode> indicators = collectionId == null ? fromFiles() : fromCollection();
        MatchTool.Summary summary;
        try (InputStream in = observations == null ? context.in() : new BufferedInputStream(openFile(observations))) {
            summary = MatchTool.run(indicators, in, context.out(), context.clock(), Optional.ofNullable(createdBy));
        }
        context.out().flush();
        context.err().println("match: " + summary.indicatorsLoaded() + " indicators loaded, " + summary.observations() + " observations, " + summary.sightings() + " sightings");
        summary.indicatorErrors().forEach(error -> context.err().println("indicator not loaded: " + error));
        summary.observationErrors().forEach(error -> context.err().println("observation not used: " + error));
        return summary.indicatorErrors().isEmpty() && summary.observationErrors().isEmpty() ? Main.OK : Main.INVALID_INPUT;
    }

    private List<JsonNode> fromFiles()
    {
        List<JsonNode> objects = new ArrayList<>();
        for (Path file : BundleImporter.expand(indicatorFiles)) {
            try (BundleReader reader = BundleReader.open(new BufferedInputStream(openFile(file)))) {
                reader.forEachRemaining(parsed -> objects.add(parsed.tree()));
            }
            catch (VigieException e) {
                throw new VigieException(e.errorCode(), "indicators " + file + ": " + e.getMessage(), e);
            }
        }
        return objects;
    }

    private List<JsonNode> fromCollection()
    {
        List<JsonNode> objects = new ArrayList<>();
        try (ObjectStore store = context.openStore(dataDirectory.load())) {
            if (store.findCollection(collectionId).isEmpty()) {
                throw new VigieException(ErrorCode.COLLECTION_NOT_FOUND, "collection " + collectionId + " does not exist in " + dataDirectory.dataDirectory);
            }
            ObjectQuery query = ObjectQuery.all(1_000).withTypes(List.of("indicator"));
            while (true) {
                ObjectPage page = store.findObjects(collectionId, query);
                for (StoredObject stored : page.objects()) {
                    objects.add(stored.object().tree());
                }
                if (!page.more()) {
                    return objects;
                }
                query = query.withNext(page.next().orElseThrow());
            }
        }
    }

    private static InputStream openFile(Path file)
    {
        try {
            return Files.newInputStream(file);
        }
        catch (IOException e) {
            throw new VigieException(ErrorCode.IO_ERROR, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
