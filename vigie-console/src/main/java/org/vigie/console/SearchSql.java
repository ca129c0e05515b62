package org.vigie.console;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The statements of the search index that differ per vendor: where the words are kept and how they are
 * matched (SQLite: the FTS5 table {@code search_text}; PostgreSQL: the tsvector column {@code words} with
 * its GIN index). Everything else is the same DML on both ({@link SearchTables}).
 */
interface SearchSql
{
    static SearchSql of(SearchDatabase.Vendor vendor)
    {
        return switch (vendor) {
            case SQLITE -> new SqliteSearchSql();
            case POSTGRESQL -> new PostgresqlSearchSql();
        };
    }

    /** INSERT of an entry's shared columns (in {@link SearchTables#ENTRY_COLUMNS} order) and, where kept in the row, its words. */
    String insertEntry();

    /** The value of {@link #insertEntry()}'s parameter after the shared columns, when the words are kept in the row. */
    Optional<Object> entryWords(Connection connection, List<String> words)
            throws SQLException;

    /** The INSERT of an entry's words kept apart from the row (parameters: entry_key, the words space-separated); empty when they are in the row. */
    Optional<String> insertWords();

    /** The DELETE of an entry's words kept apart from the row (parameter: entry_key); empty when they go with the row. */
    Optional<String> deleteWords();

    /** The query in the vendor's syntax: every word must occur, the last one as a prefix. */
    String match(List<String> words);

    /**
     * Entries of the given number of collections holding the words, newest first, with a key below a
     * given one (pages); parameters: the {@link #match} text, the key, the collection ids, the limit.
     * Selects {@code columns} of alias {@code e}.
     */
    String newestMatches(String columns, int collections);

    /** A subquery of the strings in one parameter holding them as a JSON array (any number of them, one parameter). */
    String textsOf();

    /** A subquery of the 64-bit numbers in one parameter holding them as a JSON array. */
    String numbersOf();

    /** The column compared byte by byte (code point order, not the database's locale): as Java sorts the ASCII ids ordered with it. */
    String binary(String column);

}
