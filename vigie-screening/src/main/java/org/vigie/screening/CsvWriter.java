package org.vigie.screening;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;

import static java.util.Objects.requireNonNull;

/** Writes RFC 4180 CSV: fields are quoted only when they contain a comma, quote or line break; lines end with LF. */
public final class CsvWriter
{
    private final Writer writer;

    public CsvWriter(Writer writer)
    {
        this.writer = requireNonNull(writer, "writer is null");
    }

    public void write(List<String> fields)
    {
        try {
            for (int i = 0; i < fields.size(); i++) {
                if (i > 0) {
                    writer.write(',');
                }
                writer.write(quote(fields.get(i)));
            }
            writer.write('\n');
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write CSV record", e);
        }
    }

    public void flush()
    {
        try {
            writer.flush();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot flush CSV output", e);
        }
    }

    static String quote(String field)
    {
        requireNonNull(field, "field is null");
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                return '"' + field.replace("\"", "\"\"") + '"';
            }
        }
        return field;
    }
}
