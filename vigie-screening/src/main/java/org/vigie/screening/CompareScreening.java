package org.vigie.screening;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import java.io.Reader;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * {@code vigie screen compare}: reads pairs (columns name1, name2 and optionally schema), writes the
 * input columns plus {@code score} (the name similarity, token weights taken from the screener's
 * lists) and {@code match} (true when the score reaches the threshold). Used to evaluate matching
 * quality on labelled pairs.
 */
public final class CompareScreening
{
    private CompareScreening() {}

    public static BatchSummary run(Screener screener, Reader csvIn, Writer csvOut, double threshold, ProgressListener progress)
    {
        requireNonNull(screener, "screener is null");
        requireNonNull(progress, "progress is null");
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "compare threshold " + threshold + " is outside [0, 1]");
        }
        CsvReader reader = new CsvReader(requireNonNull(csvIn, "csvIn is null"), "compare input");
        CsvWriter writer = new CsvWriter(requireNonNull(csvOut, "csvOut is null"));
        List<String> header = reader.next().orElseThrow(() -> new VigieException(ErrorCode.INVALID_ARGUMENT, "compare input is empty: expected a header name1,name2[,schema]"));
        int first = BatchScreening.column(header, "name1");
        int second = BatchScreening.column(header, "name2");
        if (first < 0 || second < 0) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "compare input header " + header + " needs name1 and name2 columns");
        }
        List<String> outputHeader = new ArrayList<>(header);
        outputHeader.add("score");
        outputHeader.add("match");
        writer.write(outputHeader);
        long rows = 0;
        long matched = 0;
        for (Optional<List<String>> row = reader.next(); row.isPresent(); row = reader.next()) {
            List<String> fields = row.get();
            if (fields.size() == 1 && fields.get(0).isEmpty()) {
                continue;
            }
            if (fields.size() != header.size()) {
                throw new VigieException(ErrorCode.INVALID_ARGUMENT, "compare input line " + reader.recordLine() + " has " + fields.size() + " fields, the header has " + header.size());
            }
            double score = fields.get(first).isBlank() || fields.get(second).isBlank() ? 0 : screener.compareNames(fields.get(first), fields.get(second)).nameScore();
            boolean match = score >= threshold;
            if (match) {
                matched++;
            }
            List<String> output = new ArrayList<>(fields);
            output.add(String.format(Locale.ROOT, "%.4f", score));
            output.add(Boolean.toString(match));
            writer.write(output);
            rows++;
            if (rows % 1000 == 0) {
                progress.rowsProcessed(rows);
            }
        }
        progress.rowsProcessed(rows);
        writer.flush();
        return new BatchSummary(rows, matched);
    }
}
