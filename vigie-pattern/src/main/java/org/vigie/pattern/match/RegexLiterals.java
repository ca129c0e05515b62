package org.vigie.pattern.match;

/**
 * Finds a literal that every match of a regular expression must contain, so that regular expressions
 * can be indexed by a three-character piece of it and run only on values containing that piece.
 * Conservative: on any construct it does not fully understand (alternation, inline flags, quoting,
 * escapes with letters other than the simple classes) it gives the empty string, meaning "no literal".
 */
final class RegexLiterals
{
    private RegexLiterals() {}

    static String longestRequiredLiteral(String regex)
    {
        if (regex.indexOf('|') >= 0 || regex.contains("(?") || regex.contains("\\Q")) {
            return "";
        }
        String longest = "";
        StringBuilder run = new StringBuilder();
        int i = 0;
        int length = regex.length();
        while (i < length) {
            char character = regex.charAt(i);
            char literal;
            int next;
            if (character == '\\') {
                if (i + 1 >= length) {
                    return "";
                }
                char escaped = regex.charAt(i + 1);
                if (Character.isLetterOrDigit(escaped)) {
                    if ("dwsDWSbBAzZ".indexOf(escaped) < 0) {
                        return "";
                    }
                    longest = longer(longest, run);
                    run.setLength(0);
                    i += 2;
                    continue;
                }
                literal = escaped;
                next = i + 2;
            }
            else if (character == '[' || character == '(') {
                longest = longer(longest, run);
                run.setLength(0);
                int end = skipGroup(regex, i);
                if (end < 0) {
                    return "";
                }
                i = end;
                continue;
            }
            else if ("^$.".indexOf(character) >= 0) {
                longest = longer(longest, run);
                run.setLength(0);
                i++;
                continue;
            }
            else if ("*+?{})]".indexOf(character) >= 0) {
                // A quantifier after a group or class: nothing literal to take.
                longest = longer(longest, run);
                run.setLength(0);
                i = skipQuantifier(regex, i);
                continue;
            }
            else {
                literal = character;
                next = i + 1;
            }
            if (Character.isSurrogate(literal)) {
                return "";
            }
            char following = next < length ? regex.charAt(next) : 0;
            if (following == '?' || following == '*' || following == '{') {
                // The character is optional or repeated a variable number of times: the run ends before it.
                longest = longer(longest, run);
                run.setLength(0);
                i = skipQuantifier(regex, next);
                continue;
            }
            run.append(literal);
            if (following == '+') {
                // Required at least once: it ends the run.
                longest = longer(longest, run);
                run.setLength(0);
                i = skipQuantifier(regex, next);
                continue;
            }
            i = next;
        }
        return longer(longest, run);
    }

    private static String longer(String longest, StringBuilder run)
    {
        return run.length() > longest.length() ? run.toString() : longest;
    }

    private static int skipQuantifier(String regex, int i)
    {
        int length = regex.length();
        if (i < length && regex.charAt(i) == '{') {
            int close = regex.indexOf('}', i);
            i = close < 0 ? length : close + 1;
        }
        else if (i < length && "*+?})]".indexOf(regex.charAt(i)) >= 0) {
            i++;
        }
        while (i < length && (regex.charAt(i) == '?' || regex.charAt(i) == '+')) {
            i++;
        }
        return i;
    }

    // Skips a balanced group or class (with escapes), returning the index after it; -1 when unbalanced.
    private static int skipGroup(String regex, int start)
    {
        int depth = 0;
        boolean inClass = false;
        for (int i = start; i < regex.length(); i++) {
            char character = regex.charAt(i);
            if (character == '\\') {
                i++;
                continue;
            }
            if (inClass) {
                if (character == ']') {
                    inClass = false;
                    if (depth == 0) {
                        return i + 1;
                    }
                }
                continue;
            }
            if (character == '[') {
                inClass = true;
                if (i + 1 < regex.length() && regex.charAt(i + 1) == '^') {
                    i++;
                }
                if (i + 1 < regex.length() && regex.charAt(i + 1) == ']') {
                    i++;
                }
            }
            else if (character == '(') {
                depth++;
            }
            else if (character == ')') {
                depth--;
                if (depth == 0) {
                    return i + 1;
                }
            }
        }
        return -1;
    }
}
