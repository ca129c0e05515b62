package org.vigie.node.cli;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.node.server.NodeStores;
import org.vigie.screening.Designation;
import org.vigie.screening.ListDiff;
import org.vigie.screening.NewHit;
import org.vigie.screening.Rescreening;
import org.vigie.screening.SanctionsList;
import org.vigie.screening.SanctionsLists;
import org.vigie.screening.ScreenedRecords;
import org.vigie.screening.Screener;
import org.vigie.screening.ScreeningResult;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
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
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required (show, update, stix)");
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
            description = {"Install a newer list in the data directory: a UN consolidated list .xml file, or a directory with OFAC's sdn.csv, alt.csv and add.csv;",
                    "or an http(s) URL of a UN .xml file, or of a directory (ending with /) holding OFAC's three files.",
                    "The list is parsed first (a malformed one replaces nothing); prints what was added, changed and removed,",
                    "then screens every record screened before (vigie screen, vigie screen batch) again and prints the new hits."})
    static final class Update
            implements Callable<Integer>
    {
        private final CommandContext context;

        @CommandLine.Mixin
        DataDirectoryOption dataDirectory;

        @CommandLine.Option(names = "--from", required = true, paramLabel = "PATH|URL", description = "The new list: a file, a directory, or an http(s) URL.")
        String source;

        @CommandLine.Option(names = "--output", paramLabel = "CSV", description = "Also write the new hits of the re-screen to this CSV.")
        Path output;

        Update(CommandContext context)
        {
            this.context = requireNonNull(context, "context is null");
        }

        @Override
        public Integer call()
        {
            NodeStores.prepareDataDirectory(dataDirectory.dataDirectory);
            List<SanctionsList> before = SanctionsListFiles.effective(dataDirectory.dataDirectory);
            SanctionsList installed = SanctionsListFiles.install(dataDirectory.dataDirectory, source, context.err());
            // The lists now in effect are the earlier ones with the installed list in place of its namesake (not read again).
            List<SanctionsList> after = before.stream().map(list -> list.name().equals(installed.name()) ? installed : list).toList();
            ListDiff diff = SanctionsLists.diff(before, after);
            context.out().println("installed " + installed.name() + " " + installed.version() + " (" + installed.designations().size() + " designations) from " + source
                    + ": " + diff.added().size() + " added, " + diff.changed().size() + " changed, " + diff.removed().size() + " removed");
            for (Designation designation : diff.added()) {
                context.out().println("added\t" + designation.key() + "\t" + designation.primaryName());
            }
            for (ListDiff.Change change : diff.changed()) {
                context.out().println("changed\t" + change.after().key() + "\t" + change.after().primaryName());
            }
            for (Designation designation : diff.removed()) {
                context.out().println("removed\t" + designation.key() + "\t" + designation.primaryName());
            }

            ScreenedRecords records = SanctionsListFiles.screenedRecords(dataDirectory.dataDirectory);
            int count = records.all().size();
            List<NewHit> newHits = count == 0 ? List.of() : new Rescreening(records).rescreen(Screener.create(after));
            for (NewHit hit : newHits) {
                ScreeningResult result = hit.result();
                context.out().println(String.format(Locale.ROOT, "new hit\t%s\t%s\t%.3f\t%s\t%s\t%s",
                        hit.recordId(), records.get(hit.recordId()).map(record -> record.query().name()).orElse(""), result.score(), result.list(), result.id(), result.primaryName()));
            }
            context.out().println("re-screened " + count + (count == 1 ? " record: " : " records: ") + newHits.size() + (newHits.size() == 1 ? " new hit" : " new hits"));
            if (output != null) {
                writeNewHits(records, newHits);
            }
            return Main.OK;
        }

        private void writeNewHits(ScreenedRecords records, List<NewHit> newHits)
        {
            StringBuilder csv = new StringBuilder("record_id,query_name,match_id,match_name,match_score,match_list\n");
            for (NewHit hit : newHits) {
                ScreeningResult result = hit.result();
                List<String> row = List.of(hit.recordId(), records.get(hit.recordId()).map(record -> record.query().name()).orElse(""),
                        result.id(), result.primaryName(), String.format(Locale.ROOT, "%.4f", result.score()), result.list());
                csv.append(String.join(",", row.stream().map(Update::quote).toList())).append('\n');
            }
            try {
                Files.writeString(output, csv, StandardCharsets.UTF_8);
            }
            catch (IOException e) {
                throw new VigieException(ErrorCode.IO_ERROR, "cannot write new hits to " + output + ": " + e.getMessage(), e);
            }
        }

        private static String quote(String field)
        {
            if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
                return field;
            }
            return "\"" + field.replace("\"", "\"\"") + "\"";
        }
    }
}
