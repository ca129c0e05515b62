package org.vigie.console;

import java.sql.Connection;
import java.util.List;
import java.util.Optional;

/** SQLite: the words in the contentless FTS5 table search_text, whose rowid is the entry's key. */
final class SqliteSearchSql
        implements SearchSql
{
    @Override
    public String insertEntry()
    {
        return "INSERT INTO search_entries (" + SearchTables.ENTRY_COLUMNS + ") VALUES (" + SearchTables.ENTRY_PARAMETERS + ")";
    }

    @Override
    public Optional<Object> entryWords(Connection connection, List<String> words)
    {
        // The words go to search_text.
        return Optional.empty();
    }

    @Override
    public Optional<String> insertWords()
    {
        return Optional.of("INSERT INTO search_text (rowid, words) VALUES (?, ?)");
    }

    @Override
    public Optional<String> deleteWords()
    {
        return Optional.of("DELETE FROM search_text WHERE rowid = ?");
    }

    @Override
    public String match(List<String> words)
    {
        // Each word quoted (they hold letters and digits only); juxtaposed phrases must all occur.
        StringBuilder text = new StringBuilder();
        for (int index = 0; index < words.size(); index++) {
            text.append(index == 0 ? "" : " ").append('"').append(words.get(index)).append('"');
        }
        return text.append('*').toString();
    }

    @Override
    public String newestMatches(String columns, int collections)
    {
        // Driven by the FTS5 table, which walks its rowids backwards: the first rows are the newest matches.
        return "SELECT " + columns + " FROM search_text JOIN search_entries e ON e.entry_key = search_text.rowid"
                + " WHERE search_text MATCH ? AND search_text.rowid < ? AND e.collection_id IN (" + SearchTables.parameters(collections) + ")"
                + " ORDER BY search_text.rowid DESC LIMIT ?";
    }

    @Override
    public String textsOf()
    {
        return "SELECT value FROM json_each(?)";
    }

    @Override
    public String numbersOf()
    {
        // json_each gives each element with its JSON type: numbers as integers.
        return textsOf();
    }

    @Override
    public String binary(String column)
    {
        // SQLite compares text byte by byte (BINARY) unless told otherwise.
        return column;
    }
}
