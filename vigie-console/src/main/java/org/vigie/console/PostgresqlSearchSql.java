package org.vigie.console;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** PostgreSQL: the words as a tsvector in the entry's row, with a GIN index. */
final class PostgresqlSearchSql
        implements SearchSql
{
    @Override
    public String insertEntry()
    {
        // array_to_tsvector takes the words as lexemes as they are: no parser, so both vendors hold the same words.
        return "INSERT INTO search_entries (" + SearchTables.ENTRY_COLUMNS + ", words) VALUES (" + SearchTables.ENTRY_PARAMETERS
                + ", array_to_tsvector(?))";
    }

    @Override
    public Optional<Object> entryWords(Connection connection, List<String> words)
            throws SQLException
    {
        return Optional.of(connection.createArrayOf("text", words.toArray()));
    }

    @Override
    public Optional<String> insertWords()
    {
        // In the row already.
        return Optional.empty();
    }

    @Override
    public Optional<String> deleteWords()
    {
        // Deleted with the row.
        return Optional.empty();
    }

    @Override
    public String match(List<String> words)
    {
        // tsquery input syntax: quoted lexemes taken as they are, the last one a prefix.
        StringBuilder text = new StringBuilder();
        for (int index = 0; index < words.size(); index++) {
            text.append(index == 0 ? "" : " & ").append('\'').append(words.get(index)).append('\'');
        }
        return text.append(":*").toString();
    }

    @Override
    public String newestMatches(String columns, int collections)
    {
        return "SELECT " + columns + " FROM search_entries e WHERE e.words @@ CAST(? AS tsquery) AND e.entry_key < ?"
                + " AND e.collection_id IN (" + SearchTables.parameters(collections) + ") ORDER BY e.entry_key DESC LIMIT ?";
    }

    @Override
    public String textsOf()
    {
        return "SELECT jsonb_array_elements_text(CAST(? AS jsonb))";
    }

    @Override
    public String numbersOf()
    {
        return "SELECT CAST(jsonb_array_elements_text(CAST(? AS jsonb)) AS BIGINT)";
    }

    @Override
    public String binary(String column)
    {
        return column + " COLLATE \"C\"";
    }
}
