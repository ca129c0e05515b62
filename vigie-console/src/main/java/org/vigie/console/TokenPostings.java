package org.vigie.console;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.LongConsumer;

/**
 * An inverted index from words to document numbers, sized for millions of objects: a word is kept as
 * a 64-bit hash (no strings), its postings as a linked list in two int arrays (8 bytes a posting), and
 * the table is open addressing over primitive arrays. Postings come back newest document first. Two
 * words with the same 64-bit hash would share postings; at a few million words that chance is about
 * 10^-7, and a false hit would only be an extra search result. Not thread-safe: the owner locks.
 */
final class TokenPostings
{
    private static final int INITIAL_TABLE = 1 << 12;
    private static final int INITIAL_POSTINGS = 1 << 12;
    private static final long EMPTY = 0;

    private long[] keys = new long[INITIAL_TABLE];
    private int[] heads = new int[INITIAL_TABLE];
    private int[] lengths = new int[INITIAL_TABLE];
    private int words;
    private int[] documents = new int[INITIAL_POSTINGS];
    private int[] next = new int[INITIAL_POSTINGS];
    private int postings;

    void add(long word, int document)
    {
        long key = word == EMPTY ? 1 : word;
        if ((words + 1) * 2L > keys.length) {
            grow();
        }
        int slot = slot(keys, key);
        if (keys[slot] == EMPTY) {
            keys[slot] = key;
            heads[slot] = -1;
            words++;
        }
        if (postings == documents.length) {
            // Half again, not double: at tens of millions of postings the slack is the index's largest waste.
            int capacity = postings + (postings >> 1);
            documents = Arrays.copyOf(documents, capacity);
            next = Arrays.copyOf(next, capacity);
        }
        documents[postings] = document;
        next[postings] = heads[slot];
        heads[slot] = postings;
        lengths[slot]++;
        postings++;
    }

    /** The documents of a word, in decreasing document order; empty when the word is unknown. */
    int[] documents(long word)
    {
        long key = word == EMPTY ? 1 : word;
        int slot = slot(keys, key);
        if (keys[slot] == EMPTY) {
            return new int[0];
        }
        int[] result = new int[lengths[slot]];
        int index = 0;
        for (int posting = heads[slot]; posting >= 0; posting = next[posting]) {
            result[index++] = documents[posting];
        }
        return result;
    }

    int words()
    {
        return words;
    }

    int postings()
    {
        return postings;
    }

    /** Bytes held by the arrays (the index's memory, without the JVM's array headers). */
    long bytes()
    {
        return keys.length * 8L + heads.length * 4L + lengths.length * 4L + documents.length * 4L + next.length * 4L;
    }

    /** Each distinct word of {@code text} (letters and digits, lower-cased), as its hash. */
    static void words(String text, LongConsumer consumer)
    {
        int length = text.length();
        int start = -1;
        for (int index = 0; index <= length; index++) {
            boolean wordCharacter = index < length && Character.isLetterOrDigit(text.charAt(index));
            if (wordCharacter && start < 0) {
                start = index;
            }
            else if (!wordCharacter && start >= 0) {
                consumer.accept(hash(text, start, index));
                start = -1;
            }
        }
    }

    // 64-bit FNV-1a over the lower-cased characters, then a finalising mix so that near words spread.
    private static long hash(String text, int start, int end)
    {
        long hash = 0xcbf29ce484222325L;
        for (int index = start; index < end; index++) {
            char character = text.charAt(index);
            char lower = character < 128 ? (character >= 'A' && character <= 'Z' ? (char) (character + 32) : character)
                    : String.valueOf(character).toLowerCase(Locale.ROOT).charAt(0);
            hash ^= lower;
            hash *= 0x100000001b3L;
        }
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        return hash;
    }

    private void grow()
    {
        long[] oldKeys = keys;
        int[] oldHeads = heads;
        int[] oldLengths = lengths;
        keys = new long[oldKeys.length * 2];
        heads = new int[oldKeys.length * 2];
        lengths = new int[oldKeys.length * 2];
        for (int index = 0; index < oldKeys.length; index++) {
            if (oldKeys[index] != EMPTY) {
                int slot = slot(keys, oldKeys[index]);
                keys[slot] = oldKeys[index];
                heads[slot] = oldHeads[index];
                lengths[slot] = oldLengths[index];
            }
        }
    }

    private static int slot(long[] table, long key)
    {
        int mask = table.length - 1;
        int slot = (int) (key ^ (key >>> 32)) & mask;
        while (table[slot] != EMPTY && table[slot] != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }
}
