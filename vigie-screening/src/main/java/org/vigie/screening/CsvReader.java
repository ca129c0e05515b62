package org.vigie.screening;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A small RFC 4180 reader: fields separated by commas, optionally quoted with double quotes, quotes
 * doubled inside quoted fields, commas and line breaks allowed inside quoted fields, CRLF or LF line
 * ends. Text after a closing quote is kept (OFAC writes {@code -0- } unquoted next to quoted fields).
 */
public final class CsvReader
{
    private final Reader reader;
    private final String source;
    private int line = 1;
    private int recordLine;
    private int pending = -2;
    private final char[] buffer = new char[8192];
    private int position;
    private int limit;

    public CsvReader(Reader reader, String source)
    {
        this.reader = requireNonNull(reader, "reader is null");
        this.source = requireNonNull(source, "source is null");
    }

    /** The line on which the last record returned by {@link #next()} started. */
    public int recordLine()
    {
        return recordLine;
    }

    /** The next record, or empty at end of input. An empty line is a record with one empty field. */
    public Optional<List<String>> next()
    {
        int c = read();
        if (c == -1) {
            return Optional.empty();
        }
        recordLine = line;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        while (true) {
            if (quoted) {
                if (c == -1) {
                    throw new VigieException(ErrorCode.INVALID_ARGUMENT, source + ": quoted field opened on line " + recordLine + " is never closed");
                }
                if (c == '"') {
                    int after = read();
                    if (after == '"') {
                        field.append('"');
                    }
                    else {
                        quoted = false;
                        c = after;
                        continue;
                    }
                }
                else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append((char) c);
                }
            }
            else if (c == '"' && !wasQuoted && field.isEmpty()) {
                quoted = true;
                wasQuoted = true;
            }
            else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
            }
            else if (c == '\r' || c == '\n' || c == -1) {
                if (c == '\r') {
                    int after = read();
                    if (after != '\n') {
                        unread(after);
                    }
                }
                if (c != -1) {
                    line++;
                }
                fields.add(field.toString());
                return Optional.of(List.copyOf(fields));
            }
            else {
                field.append((char) c);
            }
            c = read();
        }
    }

    /** Reads every remaining record. */
    public List<List<String>> readAll()
    {
        List<List<String>> records = new ArrayList<>();
        for (Optional<List<String>> record = next(); record.isPresent(); record = next()) {
            records.add(record.get());
        }
        return records;
    }

    private int read()
    {
        if (pending != -2) {
            int c = pending;
            pending = -2;
            return c;
        }
        if (position < limit) {
            return buffer[position++];
        }
        try {
            // Reader.read() per character is slow (and locks in StringReader): read blocks.
            int count = reader.read(buffer, 0, buffer.length);
            if (count <= 0) {
                return -1;
            }
            position = 1;
            limit = count;
            return buffer[0];
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source + " at line " + line, e);
        }
    }

    private void unread(int c)
    {
        pending = c;
    }
}
