package org.vigie.screening;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import java.io.Reader;
import java.io.Writer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static java.util.Objects.requireNonNull;

/**
 * {@code vigie screen batch}: reads a CSV with a header naming a {@code full_name} or {@code name}
 * column and optionally birth date ({@code birth_date}, {@code date_of_birth}, {@code dob}),
 * {@code nationality} and {@code type} columns; writes one row per input row, in order: the input
 * columns, then match_id, match_name, match_score, match_list for the best match at or above the
 * threshold (empty when none), then match_N_* columns for each further match when top is above 1.
 */
public final class BatchScreening
{
    private static final int CHUNK = 512;

    private BatchScreening() {}

    public static BatchSummary run(Screener screener, Reader csvIn, Writer csvOut, BatchOptions options, ProgressListener progress)
    {
        return run(screener, csvIn, csvOut, options, progress, Optional.empty());
    }

    /**
     * As {@link #run(Screener, Reader, Writer, BatchOptions, ProgressListener)}, and remembers every
     * screened row in {@code records} under {@link Rescreening#recordId} of its query, so that a list
     * change can re-screen it. Rows are screened for at least {@link ScreeningQuery#DEFAULT_LIMIT}
     * matches (the first {@code top} are written) so that a re-screen compares against all the hits
     * a row had, not only those written.
     */
    public static BatchSummary run(Screener screener, Reader csvIn, Writer csvOut, BatchOptions options, ProgressListener progress, ScreenedRecords records)
    {
        return run(screener, csvIn, csvOut, options, progress, Optional.of(requireNonNull(records, "records is null")));
    }

    private static BatchSummary run(Screener screener, Reader csvIn, Writer csvOut, BatchOptions options, ProgressListener progress, Optional<ScreenedRecords> records)
    {
        requireNonNull(screener, "screener is null");
        requireNonNull(options, "options is null");
        requireNonNull(progress, "progress is null");
        CsvReader reader = new CsvReader(requireNonNull(csvIn, "csvIn is null"), "batch input");
        CsvWriter writer = new CsvWriter(requireNonNull(csvOut, "csvOut is null"));
        List<String> header = reader.next().orElseThrow(() -> new VigieException(ErrorCode.INVALID_ARGUMENT, "batch input is empty: expected a header with a full_name or name column"));
        int name = column(header, "full_name", "name");
        if (name < 0) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "batch input header " + header + " has no full_name or name column");
        }
        int birth = column(header, "birth_date", "date_of_birth", "dob", "birthdate");
        int nationality = column(header, "nationality", "country");
        int type = column(header, "type", "schema", "entity_type");
        List<String> outputHeader = new ArrayList<>(header);
        for (int rank = 1; rank <= options.top(); rank++) {
            String prefix = rank == 1 ? "match_" : "match_" + rank + "_";
            outputHeader.addAll(List.of(prefix + "id", prefix + "name", prefix + "score", prefix + "list"));
        }
        writer.write(outputHeader);
        ExecutorService executor = options.parallelism() > 1 ? Executors.newFixedThreadPool(options.parallelism()) : null;
        long rows = 0;
        long matched = 0;
        try {
            while (true) {
                List<List<String>> chunk = new ArrayList<>(CHUNK);
                List<Integer> lines = new ArrayList<>(CHUNK);
                for (Optional<List<String>> row = reader.next(); row.isPresent(); row = chunk.size() < CHUNK - 1 ? reader.next() : Optional.empty()) {
                    if (row.get().size() == 1 && row.get().get(0).isEmpty()) {
                        continue;
                    }
                    chunk.add(row.get());
                    lines.add(reader.recordLine());
                }
                if (chunk.isEmpty()) {
                    break;
                }
                List<ScreeningQuery> queries = new ArrayList<>(chunk.size());
                for (int i = 0; i < chunk.size(); i++) {
                    ScreeningQuery query = query(chunk.get(i), header.size(), lines.get(i), name, birth, nationality, type, options);
                    queries.add(query != null && records.isPresent() ? query.withLimit(Math.max(options.top(), ScreeningQuery.DEFAULT_LIMIT)) : query);
                }
                List<List<ScreeningResult>> results = screenAll(screener, queries, executor);
                if (records.isPresent()) {
                    List<ScreenedRecord> screened = new ArrayList<>(queries.size());
                    for (int i = 0; i < queries.size(); i++) {
                        if (queries.get(i) != null) {
                            screened.add(ScreenedRecord.of(Rescreening.recordId(queries.get(i)), queries.get(i), results.get(i)));
                        }
                    }
                    records.get().rememberAll(screened);
                }
                for (int i = 0; i < chunk.size(); i++) {
                    List<String> output = new ArrayList<>(chunk.get(i));
                    List<ScreeningResult> found = results.get(i);
                    if (!found.isEmpty()) {
                        matched++;
                    }
                    for (int rank = 0; rank < options.top(); rank++) {
                        if (rank < found.size()) {
                            ScreeningResult result = found.get(rank);
                            output.addAll(List.of(result.id(), result.primaryName(), String.format(Locale.ROOT, "%.4f", result.score()), result.list()));
                        }
                        else {
                            output.addAll(List.of("", "", "", ""));
                        }
                    }
                    writer.write(output);
                }
                rows += chunk.size();
                progress.rowsProcessed(rows);
            }
            writer.flush();
            return new BatchSummary(rows, matched);
        }
        finally {
            if (executor != null) {
                executor.shutdownNow();
            }
        }
    }

    private static List<List<ScreeningResult>> screenAll(Screener screener, List<ScreeningQuery> queries, ExecutorService executor)
    {
        List<List<ScreeningResult>> results = new ArrayList<>(queries.size());
        if (executor == null) {
            for (ScreeningQuery query : queries) {
                results.add(query == null ? List.of() : screener.screen(query));
            }
            return results;
        }
        List<Future<List<ScreeningResult>>> futures = new ArrayList<>(queries.size());
        for (ScreeningQuery query : queries) {
            futures.add(executor.submit(() -> query == null ? List.of() : screener.screen(query)));
        }
        for (Future<List<ScreeningResult>> future : futures) {
            try {
                results.add(future.get());
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VigieException(ErrorCode.INTERNAL_ERROR, "batch screening was interrupted", e);
            }
            catch (ExecutionException e) {
                if (e.getCause() instanceof VigieException vigie) {
                    throw vigie;
                }
                throw new VigieException(ErrorCode.INTERNAL_ERROR, "batch screening failed: " + e.getCause(), e.getCause());
            }
        }
        return results;
    }

    /** The query of one row, or null when its name is empty (the row is written without a match). */
    private static ScreeningQuery query(List<String> row, int width, int line, int name, int birth, int nationality, int type, BatchOptions options)
    {
        if (row.size() != width) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "batch input line " + line + " has " + row.size() + " fields, the header has " + width);
        }
        String fullName = row.get(name).strip();
        if (fullName.isEmpty()) {
            return null;
        }
        Optional<LocalDate> birthDate = Optional.empty();
        if (birth >= 0 && !row.get(birth).isBlank()) {
            birthDate = Optional.of(ScreeningJson.parseDate(row.get(birth), "batch input line " + line + " birth date"));
        }
        Optional<String> country = nationality >= 0 && !row.get(nationality).isBlank() ? Optional.of(row.get(nationality).strip()) : Optional.empty();
        Optional<EntityType> entityType = type >= 0 && !row.get(type).isBlank() ? Optional.of(ScreeningJson.parseType(row.get(type), "batch input line " + line + " type")) : Optional.empty();
        return new ScreeningQuery(fullName, List.of(), birthDate, country, entityType, options.threshold(), options.top());
    }

    static int column(List<String> header, String... names)
    {
        for (String wanted : names) {
            for (int i = 0; i < header.size(); i++) {
                if (header.get(i).strip().replace("\uFEFF", "").equalsIgnoreCase(wanted)) {
                    return i;
                }
            }
        }
        return -1;
    }
}
