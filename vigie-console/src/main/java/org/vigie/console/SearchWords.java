package org.vigie.console;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The words of a text as the search index keeps them: runs of letters and digits, lower-cased, each once.
 * Vigie splits words itself, on both vendors, so that SQLite's FTS5 and PostgreSQL's tsvector hold the same
 * words: FTS5 gets them space-separated, PostgreSQL as lexemes taken without parsing.
 */
final class SearchWords
{
    // PostgreSQL refuses lexemes of 2 KiB and more; longer words are cut, in the text and in queries alike.
    static final int MAXIMUM_WORD = 200;

    private SearchWords() {}

    /** Each distinct word of {@code text}, in order of first appearance. */
    static List<String> of(String text)
    {
        Set<String> words = new LinkedHashSet<>();
        int length = text.length();
        int start = -1;
        for (int index = 0; index <= length; index++) {
            boolean wordCharacter = index < length && Character.isLetterOrDigit(text.charAt(index));
            if (wordCharacter && start < 0) {
                start = index;
            }
            else if (!wordCharacter && start >= 0) {
                String word = text.substring(start, Math.min(index, start + MAXIMUM_WORD)).toLowerCase(Locale.ROOT);
                words.add(word);
                start = -1;
            }
        }
        return new ArrayList<>(words);
    }

    /** Whether {@code text} (words of {@link #of}) holds every query word, the last one as a prefix, as the index matches. */
    static boolean matches(List<String> text, List<String> query)
    {
        if (query.isEmpty()) {
            return false;
        }
        String last = query.get(query.size() - 1);
        return text.containsAll(query.subList(0, query.size() - 1)) && text.stream().anyMatch(word -> word.startsWith(last));
    }
}
