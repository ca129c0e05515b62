package org.vigie.node.cli;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.screening.BatchOptions;
import org.vigie.screening.BatchScreening;
import org.vigie.screening.BatchSummary;
import org.vigie.screening.CompareScreening;
import org.vigie.screening.Rescreening;
import org.vigie.screening.ScreeningJson;
import org.vigie.screening.ScreeningQuery;
import org.vigie.screening.ScreeningResult;
import org.vigie.screening.Screener;
import org.vigie.stix.json.StixJson;
import picocli.CommandLine;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

@CommandLine.Command(name = "screen", mixinStandardHelpOptions = true,
        description = {"Screen a name against the sanctions lists (UN and OFAC SDN: the data directory's updated copies, else the shipped snapshots).",
                "Prints one line per match: score, list, reference, listed name; --json prints the results with their explanations.",
                "The query is remembered in the data directory (screening/screened-records.jsonl) so that 'vigie lists update' screens it again."})
final class ScreenCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @CommandLine.Mixin
    DataDirectoryOption dataDirectory;

    @CommandLine.Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The name to screen.")
    String name;

    @CommandLine.Option(names = "--threshold", paramLabel = "SCORE", description = "Lowest score reported, in [0, 1] (default: the recommended threshold).")
    Double threshold;

    @CommandLine.Option(names = "--limit", defaultValue = "10", paramLabel = "N", description = "Most matches reported (default: ${DEFAULT-VALUE}).")
    int limit;

    @CommandLine.Option(names = "--json", description = "Print the results as JSON, with explanations.")
    boolean json;

    @CommandLine.Option(names = "--no-record", description = "Do not remember this query for re-screening after a list update.")
    boolean noRecord;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    ScreenCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        if (name == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "a NAME to screen, or a subcommand (batch, compare), is required");
        }
        Screener screener = Screener.create(SanctionsListFiles.effective(dataDirectory.dataDirectory));
        ScreeningQuery query = ScreeningQuery.of(name).withLimit(limit);
        if (threshold != null) {
            query = query.withThreshold(threshold);
        }
        List<ScreeningResult> results = noRecord
                ? screener.screen(query)
                : new Rescreening(SanctionsListFiles.screenedRecords(dataDirectory.dataDirectory)).screen(screener, Rescreening.recordId(query), query);
        if (json) {
            context.out().println(StixJson.compact(ScreeningJson.results(results)));
        }
        else {
            for (ScreeningResult result : results) {
                context.out().println(String.format(Locale.ROOT, "%.3f\t%s\t%s\t%s", result.score(), result.list(), result.id(), result.primaryName()));
            }
            context.err().println(results.size() + (results.size() == 1 ? " match" : " matches") + " for '" + name + "' at threshold " + query.threshold());
        }
        return Main.OK;
    }

    @CommandLine.Command(name = "batch", mixinStandardHelpOptions = true,
            description = {"Screen every row of a CSV (a full_name or name column, optional birth_date, nationality, type) and write the rows with their best matches.",
                    "Each row is remembered in the data directory so that 'vigie lists update' screens it again."})
    static final class Batch
            implements Callable<Integer>
    {
        private final CommandContext context;

        @CommandLine.Mixin
        DataDirectoryOption dataDirectory;

        @CommandLine.Option(names = "--input", required = true, paramLabel = "CSV", description = "Input CSV ('-' for standard input).")
        String input;

        @CommandLine.Option(names = "--output", paramLabel = "CSV", description = "Output CSV (default: standard output).")
        Path output;

        @CommandLine.Option(names = "--threshold", paramLabel = "SCORE", description = "Lowest score reported (default: the recommended threshold).")
        Double threshold;

        @CommandLine.Option(names = "--top", defaultValue = "1", paramLabel = "N", description = "Matches per row (default: ${DEFAULT-VALUE}).")
        int top;

        @CommandLine.Option(names = "--parallelism", paramLabel = "N", description = "Screening threads (default: the number of processors).")
        Integer parallelism;

        @CommandLine.Option(names = "--no-record", description = "Do not remember the rows for re-screening after a list update.")
        boolean noRecord;

        Batch(CommandContext context)
        {
            this.context = requireNonNull(context, "context is null");
        }

        @Override
        public Integer call()
                throws IOException
        {
            BatchOptions defaults = BatchOptions.defaults();
            BatchOptions options = new BatchOptions(threshold == null ? defaults.threshold() : threshold, top, parallelism == null ? defaults.parallelism() : parallelism);
            Screener screener = Screener.create(SanctionsListFiles.effective(dataDirectory.dataDirectory));
            try (Reader in = open(context, input); Writer out = output(context, output)) {
                BatchSummary summary = noRecord
                        ? BatchScreening.run(screener, in, out, options, rows -> {})
                        : BatchScreening.run(screener, in, out, options, rows -> {}, SanctionsListFiles.screenedRecords(dataDirectory.dataDirectory));
                out.flush();
                context.err().println("screened " + summary.rows() + " rows: " + summary.matchedRows() + " with a match at " + options.threshold());
            }
            return Main.OK;
        }
    }

    @CommandLine.Command(name = "compare", mixinStandardHelpOptions = true,
            description = "Compare pairs of names of a CSV and write each pair's score (see vigie-screening for the columns).")
    static final class Compare
            implements Callable<Integer>
    {
        private final CommandContext context;

        @CommandLine.Mixin
        DataDirectoryOption dataDirectory;

        @CommandLine.Option(names = "--input", required = true, paramLabel = "CSV", description = "Input CSV ('-' for standard input).")
        String input;

        @CommandLine.Option(names = "--output", paramLabel = "CSV", description = "Output CSV (default: standard output).")
        Path output;

        @CommandLine.Option(names = "--threshold", paramLabel = "SCORE", description = "Score at which a pair counts as a match (default: the recommended threshold).")
        Double threshold;

        Compare(CommandContext context)
        {
            this.context = requireNonNull(context, "context is null");
        }

        @Override
        public Integer call()
                throws IOException
        {
            double effectiveThreshold = threshold == null ? Screener.RECOMMENDED_THRESHOLD : threshold;
            Screener screener = Screener.create(SanctionsListFiles.effective(dataDirectory.dataDirectory));
            try (Reader in = open(context, input); Writer out = output(context, output)) {
                BatchSummary summary = CompareScreening.run(screener, in, out, effectiveThreshold, rows -> {});
                out.flush();
                context.err().println("compared " + summary.rows() + " pairs: " + summary.matchedRows() + " at or above " + effectiveThreshold);
            }
            return Main.OK;
        }
    }

    private static Reader open(CommandContext context, String input)
    {
        if (input.equals("-")) {
            return new BufferedReader(new InputStreamReader(context.in(), StandardCharsets.UTF_8));
        }
        try {
            return Files.newBufferedReader(Path.of(input), StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new VigieException(ErrorCode.IO_ERROR, "cannot read input " + input + ": " + e.getMessage(), e);
        }
    }

    private static Writer output(CommandContext context, Path output)
    {
        if (output == null) {
            // Not closed with the command: standard output belongs to the process.
            return new BufferedWriter(new OutputStreamWriter(context.out(), StandardCharsets.UTF_8))
            {
                @Override
                public void close()
                        throws IOException
                {
                    flush();
                }
            };
        }
        try {
            return Files.newBufferedWriter(output, StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new VigieException(ErrorCode.IO_ERROR, "cannot write output " + output + ": " + e.getMessage(), e);
        }
    }

}
