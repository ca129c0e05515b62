package org.vigie.screening;

/** Jaro-Winkler similarity (boost threshold 0.7, prefix scale 0.1, prefix up to 4), allocation-light for the hot path. */
final class JaroWinkler
{
    private JaroWinkler() {}

    static double similarity(String a, String b)
    {
        // Match from the shorter string into the longer one, as the reference definition does.
        String first = a.length() > b.length() ? b : a;
        String second = a.length() > b.length() ? a : b;
        int firstLength = first.length();
        int secondLength = second.length();
        if (firstLength == 0 || secondLength == 0) {
            return firstLength == secondLength ? 1 : 0;
        }
        int window = Math.max(0, Math.max(firstLength, secondLength) / 2 - 1);
        // Names are short: bit sets in two longs cover 128 characters; longer strings take the slow path.
        if (firstLength > 128 || secondLength > 128) {
            return slow(first, second, window);
        }
        long firstMatched0 = 0;
        long firstMatched1 = 0;
        long secondMatched0 = 0;
        long secondMatched1 = 0;
        int matches = 0;
        for (int i = 0; i < firstLength; i++) {
            char c = first.charAt(i);
            int start = Math.max(0, i - window);
            int end = Math.min(secondLength - 1, i + window);
            for (int j = start; j <= end; j++) {
                boolean used = j < 64 ? (secondMatched0 & (1L << j)) != 0 : (secondMatched1 & (1L << (j - 64))) != 0;
                if (!used && second.charAt(j) == c) {
                    if (j < 64) {
                        secondMatched0 |= 1L << j;
                    }
                    else {
                        secondMatched1 |= 1L << (j - 64);
                    }
                    if (i < 64) {
                        firstMatched0 |= 1L << i;
                    }
                    else {
                        firstMatched1 |= 1L << (i - 64);
                    }
                    matches++;
                    break;
                }
            }
        }
        if (matches == 0) {
            return 0;
        }
        int transpositions = 0;
        int j = 0;
        for (int i = 0; i < firstLength; i++) {
            boolean matched = i < 64 ? (firstMatched0 & (1L << i)) != 0 : (firstMatched1 & (1L << (i - 64))) != 0;
            if (!matched) {
                continue;
            }
            while (!(j < 64 ? (secondMatched0 & (1L << j)) != 0 : (secondMatched1 & (1L << (j - 64))) != 0)) {
                j++;
            }
            if (first.charAt(i) != second.charAt(j)) {
                transpositions++;
            }
            j++;
        }
        return winkler(first, second, matches, transpositions);
    }

    private static double slow(String first, String second, int window)
    {
        boolean[] firstMatched = new boolean[first.length()];
        boolean[] secondMatched = new boolean[second.length()];
        int matches = 0;
        for (int i = 0; i < first.length(); i++) {
            for (int j = Math.max(0, i - window); j <= Math.min(second.length() - 1, i + window); j++) {
                if (!secondMatched[j] && first.charAt(i) == second.charAt(j)) {
                    firstMatched[i] = true;
                    secondMatched[j] = true;
                    matches++;
                    break;
                }
            }
        }
        if (matches == 0) {
            return 0;
        }
        int transpositions = 0;
        int j = 0;
        for (int i = 0; i < first.length(); i++) {
            if (!firstMatched[i]) {
                continue;
            }
            while (!secondMatched[j]) {
                j++;
            }
            if (first.charAt(i) != second.charAt(j)) {
                transpositions++;
            }
            j++;
        }
        return winkler(first, second, matches, transpositions);
    }

    private static double winkler(String first, String second, int matches, int transpositions)
    {
        double m = matches;
        double jaro = (m / first.length() + m / second.length() + (m - transpositions / 2.0) / m) / 3;
        int prefix = 0;
        int limit = Math.min(4, Math.min(first.length(), second.length()));
        while (prefix < limit && first.charAt(prefix) == second.charAt(prefix)) {
            prefix++;
        }
        // Winkler's boost applies only to strings already similar (Jaro at least 0.7).
        return jaro < 0.7 ? jaro : jaro + 0.1 * prefix * (1 - jaro);
    }
}
