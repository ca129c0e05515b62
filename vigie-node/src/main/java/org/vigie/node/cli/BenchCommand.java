package org.vigie.node.cli;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.node.bench.MatchBenchmark;
import org.vigie.node.bench.NodeBenchmarks;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

@CommandLine.Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"End-to-end benchmarks on this machine: import of generated objects, POST over HTTP, GET page latency with the imported objects stored (1 and 8 clients), start-to-first-request and heap after start,"
                + " and the bulk pattern matcher (match: compile generated indicators, stream generated observations through it on 1 and 2 threads).",
                "Figures are printed; nothing is asserted."})
final class BenchCommand
        implements Callable<Integer>
{
    enum Benchmark
    {
        IMPORT,
        QUERY,
        POST,
        STARTUP,
        MATCH
    }

    private final CommandContext context;

    @CommandLine.Option(names = "--work-dir", paramLabel = "DIR", description = "Where to put generated bundles and stores (default: a new temporary directory).")
    Path workDirectory;

    @CommandLine.Option(names = "--objects", defaultValue = "1000000", paramLabel = "N", description = "Objects to import (default: ${DEFAULT-VALUE}).")
    long objects;

    @CommandLine.Option(names = "--post-objects", defaultValue = "200000", paramLabel = "N", description = "Objects to POST over HTTP (default: ${DEFAULT-VALUE}).")
    int postObjects;

    @CommandLine.Option(names = "--post-batch", defaultValue = "1000", paramLabel = "N", description = "Objects per POST (default: ${DEFAULT-VALUE}).")
    int postBatch;

    @CommandLine.Option(names = "--post-clients", defaultValue = "2", paramLabel = "N", description = "Concurrent POSTing clients (default: ${DEFAULT-VALUE}).")
    int postClients;

    @CommandLine.Option(names = "--post-warm-up", paramLabel = "N",
            description = "Objects POSTed before the timing starts, so that the figure is of a running node's compiled code, not of the JIT at work; 0 times a cold node (default: as many as --post-objects).")
    Integer postWarmUp;

    @CommandLine.Option(names = "--requests", defaultValue = "2000", paramLabel = "N", description = "GET requests per client (default: ${DEFAULT-VALUE}).")
    int requests;

    @CommandLine.Option(names = "--collection", paramLabel = "ID", description = "Measure queries on this collection of <work-dir>/data, filled by an earlier run, instead of importing first.")
    String existingCollection;

    @CommandLine.Option(names = "--indicators", defaultValue = "100000", paramLabel = "N", description = "match: generated indicators to compile and match against (default: ${DEFAULT-VALUE}).")
    int indicators;

    @CommandLine.Option(names = "--observations", defaultValue = "1000000", paramLabel = "N", description = "match: observations streamed through the matcher per run (default: ${DEFAULT-VALUE}).")
    long observations;

    @CommandLine.Option(names = "--match-threads", defaultValue = "1,2", split = ",", paramLabel = "N", description = "match: a run on each of these numbers of threads (default: ${DEFAULT-VALUE}).")
    List<Integer> matchThreads;

    @CommandLine.Option(names = "--only", split = ",", paramLabel = "NAME", description = "Run only these: ${COMPLETION-CANDIDATES} (query runs the import first unless --collection is given).")
    Set<Benchmark> only;

    BenchCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
            throws Exception
    {
        Set<Benchmark> selected = only == null || only.isEmpty() ? EnumSet.allOf(Benchmark.class) : EnumSet.copyOf(only);
        if (objects < 1 || postObjects < 1 || postBatch < 1 || postClients < 1 || requests < 1) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "--objects, --post-objects, --post-batch, --post-clients and --requests must be positive");
        }
        if (postWarmUp != null && postWarmUp < 0) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "--post-warm-up must be 0 or more, not " + postWarmUp);
        }
        if (selected.contains(Benchmark.MATCH)) {
            MatchBenchmark.checkSettings(indicators, observations, matchThreads);
        }
        Path directory = workDirectory == null ? Files.createTempDirectory("vigie-bench") : workDirectory;
        try {
            Files.createDirectories(directory);
        }
        catch (IOException e) {
            throw new VigieException(ErrorCode.IO_ERROR, "cannot create bench directory " + directory + ": " + e.getMessage(), e);
        }
        context.out().printf("vigie bench: %d processors, max heap %d MiB, Java %s, work directory %s%n",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, Runtime.version(), directory);
        NodeBenchmarks benchmarks = new NodeBenchmarks(context.out(), context.clock());
        String importedCollection = existingCollection;
        if (selected.contains(Benchmark.IMPORT) || (selected.contains(Benchmark.QUERY) && importedCollection == null)) {
            importedCollection = benchmarks.importGenerated(directory, objects, 1).collectionId();
        }
        if (selected.contains(Benchmark.QUERY)) {
            benchmarks.pageLatency(directory, importedCollection, requests);
        }
        if (selected.contains(Benchmark.POST)) {
            benchmarks.postOverHttp(directory, postObjects, postBatch, postClients, postWarmUp == null ? postObjects : postWarmUp);
        }
        if (selected.contains(Benchmark.STARTUP)) {
            benchmarks.startup(directory);
        }
        if (selected.contains(Benchmark.MATCH)) {
            new MatchBenchmark(context.out(), context.clock()).run(indicators, observations, matchThreads);
        }
        return Main.OK;
    }
}
