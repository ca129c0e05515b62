package org.vigie.pattern;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * MATCHES regular expressions: the specification asks for PCRE semantics; this translates a PCRE
 * expression into an equivalent {@link java.util.regex.Pattern}, or rejects it with
 * {@link ErrorCode#INVALID_PATTERN} when Java cannot express it. Handled differences:
 * <ul>
 * <li>line terminators: PCRE's default newline is LF only, so {@code .}, {@code $} and {@code ^} use
 *     {@link Pattern#UNIX_LINES};</li>
 * <li>POSIX classes {@code [[:alpha:]]} (and negated {@code [[:^alpha:]]}) become {@code \p{Alpha}}, ...;</li>
 * <li>inside a class, PCRE takes {@code [} and {@code &&} literally and a leading {@code ]} as a member,
 *     where Java would read a union, an intersection or an error: they are escaped;</li>
 * <li>a {@code {} that does not start a valid quantifier is a literal in PCRE: it is escaped;</li>
 * <li>Python-style named groups {@code (?P<n>...)} and {@code (?P=n)} become {@code (?<n>...)} and
 *     {@code \k<n>}; comments {@code (?#...)} are removed;</li>
 * <li>rejected: recursion and subroutine calls, conditionals, branch reset {@code (?|}, backtracking
 *     verbs {@code (*...)}, callouts, {@code \K}, {@code \g}, {@code \o}, {@code \N}, and the inline flags
 *     whose meaning differs ({@code U} is "ungreedy" in PCRE, {@code J}, {@code X}, {@code n}).</li>
 * </ul>
 * Matching is unanchored (a match anywhere in the value), as in PCRE. Matching a value is limited to a
 * budget of character reads so that catastrophic backtracking ends: a value that exhausts it does not match.
 */
public final class PcreRegex
{
    /** Character reads allowed per value before a match attempt is abandoned as no match. */
    public static final long READ_BUDGET = 2_000_000;

    private static final Map<String, String> POSIX_CLASSES = posixClasses();

    private PcreRegex() {}

    public static Pattern compile(String pcre)
    {
        String translated = translate(pcre);
        try {
            return Pattern.compile(translated, Pattern.UNIX_LINES);
        }
        catch (PatternSyntaxException e) {
            throw new VigieException(ErrorCode.INVALID_PATTERN, "invalid regular expression " + Constant.quote(pcre) + ": " + e.getDescription() + " near index " + e.getIndex());
        }
        catch (StackOverflowError e) {
            throw new VigieException(ErrorCode.INVALID_PATTERN, "invalid regular expression " + Constant.quote(pcre) + ": nested too deeply");
        }
    }

    /** Whether the expression matches somewhere in {@code value}; false when the read budget runs out. */
    public static boolean find(Pattern pattern, CharSequence value)
    {
        BudgetedSequence budgeted = new BudgetedSequence(value, new long[] {READ_BUDGET});
        try {
            return pattern.matcher(budgeted).find();
        }
        catch (BudgetExceeded | StackOverflowError e) {
            return false;
        }
    }

    static String translate(String pcre)
    {
        StringBuilder out = new StringBuilder(pcre.length() + 8);
        int length = pcre.length();
        boolean inClass = false;
        int classStart = -1;
        int i = 0;
        while (i < length) {
            char character = pcre.charAt(i);
            if (character == '\\') {
                if (i + 1 >= length) {
                    throw invalid(pcre, "trailing backslash");
                }
                char next = pcre.charAt(i + 1);
                if (next == 'Q') {
                    int end = pcre.indexOf("\\E", i + 2);
                    int stop = end < 0 ? length : end + 2;
                    out.append(pcre, i, stop);
                    i = stop;
                    continue;
                }
                switch (next) {
                    case 'K', 'g', 'o', 'N' -> throw invalid(pcre, "'\\" + next + "' has no Java equivalent");
                    default -> {
                    }
                }
                out.append(character).append(next);
                i += 2;
                continue;
            }
            if (inClass) {
                if (character == ']' && i > classStart) {
                    inClass = false;
                    out.append(']');
                    i++;
                    continue;
                }
                if (character == ']') {
                    out.append("\\]");
                    i++;
                    continue;
                }
                if (character == '[') {
                    Matcher posix = POSIX.matcher(pcre).region(i, length);
                    if (posix.lookingAt()) {
                        String replacement = POSIX_CLASSES.get(posix.group(2));
                        if (replacement == null) {
                            throw invalid(pcre, "unknown POSIX class '" + posix.group() + "'");
                        }
                        out.append(posix.group(1).isEmpty() ? replacement : negate(replacement));
                        i = posix.end();
                        continue;
                    }
                    out.append("\\[");
                    i++;
                    continue;
                }
                if (character == '&' && i + 1 < length && pcre.charAt(i + 1) == '&') {
                    out.append("&\\&");
                    i += 2;
                    continue;
                }
                out.append(character);
                i++;
                continue;
            }
            switch (character) {
                case '[' -> {
                    inClass = true;
                    out.append('[');
                    i++;
                    if (i < length && pcre.charAt(i) == '^') {
                        out.append('^');
                        i++;
                    }
                    // A ']' right after the opening bracket is a member of the class.
                    classStart = i + 1;
                    if (i < length && pcre.charAt(i) == ']') {
                        out.append("\\]");
                        i++;
                    }
                }
                case '(' -> i = group(pcre, i, out);
                case '{' -> {
                    Matcher quantifier = QUANTIFIER.matcher(pcre).region(i, length);
                    out.append(quantifier.lookingAt() ? "{" : "\\{");
                    i++;
                }
                case '}' -> {
                    // Balanced with a real quantifier only when the text before it opened one.
                    out.append(isQuantifierEnd(out) ? "}" : "\\}");
                    i++;
                }
                default -> {
                    out.append(character);
                    i++;
                }
            }
        }
        if (inClass) {
            throw invalid(pcre, "unterminated character class");
        }
        return out.toString();
    }

    private static final Pattern POSIX = Pattern.compile("\\[:(\\^?)([a-z]+):]");
    private static final Pattern QUANTIFIER = Pattern.compile("\\{\\d+(,\\d*)?}");
    private static final Pattern OPEN_QUANTIFIER = Pattern.compile(".*(?<!\\\\)\\{\\d+(,\\d*)?", Pattern.DOTALL);
    private static final Pattern INLINE_FLAGS = Pattern.compile("\\(\\?([a-zA-Z]*)(-[a-zA-Z]*)?([:)])");

    private static boolean isQuantifierEnd(StringBuilder out)
    {
        int open = out.lastIndexOf("{");
        return open >= 0 && (open == 0 || out.charAt(open - 1) != '\\') && OPEN_QUANTIFIER.matcher(out.subSequence(open, out.length())).matches();
    }

    private static int group(String pcre, int i, StringBuilder out)
    {
        if (pcre.startsWith("(*", i)) {
            throw invalid(pcre, "backtracking verbs '(*...)' are not supported");
        }
        if (!pcre.startsWith("(?", i)) {
            out.append('(');
            return i + 1;
        }
        if (pcre.startsWith("(?#", i)) {
            int end = pcre.indexOf(')', i);
            if (end < 0) {
                throw invalid(pcre, "unterminated comment");
            }
            return end + 1;
        }
        if (pcre.startsWith("(?P<", i)) {
            out.append("(?<");
            return i + 4;
        }
        if (pcre.startsWith("(?P=", i)) {
            int end = pcre.indexOf(')', i);
            if (end < 0) {
                throw invalid(pcre, "unterminated back reference");
            }
            out.append("\\k<").append(pcre, i + 4, end).append('>');
            return end + 1;
        }
        for (String prefix : new String[] {"(?:", "(?=", "(?!", "(?<=", "(?<!", "(?>", "(?<"}) {
            if (pcre.startsWith(prefix, i)) {
                out.append(prefix);
                return i + prefix.length();
            }
        }
        Matcher flags = INLINE_FLAGS.matcher(pcre).region(i, pcre.length());
        if (flags.lookingAt()) {
            String letters = flags.group(1) + (flags.group(2) == null ? "" : flags.group(2));
            for (char letter : letters.toCharArray()) {
                if (letter != 'i' && letter != 'm' && letter != 's' && letter != 'x' && letter != '-') {
                    throw invalid(pcre, "inline flag '" + letter + "' is not supported (only i, m, s and x mean the same in PCRE and Java)");
                }
            }
            out.append(flags.group());
            return flags.end();
        }
        throw invalid(pcre, "group construct at index " + i + " (recursion, subroutine call, conditional, branch reset or callout) is not supported");
    }

    private static String negate(String javaClass)
    {
        if (javaClass.startsWith("\\p")) {
            return "\\P" + javaClass.substring(2);
        }
        return "\\W";
    }

    private static VigieException invalid(String pcre, String why)
    {
        return new VigieException(ErrorCode.INVALID_PATTERN, "invalid regular expression " + Constant.quote(pcre) + ": " + why);
    }

    private static Map<String, String> posixClasses()
    {
        Map<String, String> classes = new TreeMap<>();
        classes.put("alpha", "\\p{Alpha}");
        classes.put("digit", "\\p{Digit}");
        classes.put("alnum", "\\p{Alnum}");
        classes.put("upper", "\\p{Upper}");
        classes.put("lower", "\\p{Lower}");
        classes.put("space", "\\p{Space}");
        classes.put("punct", "\\p{Punct}");
        classes.put("xdigit", "\\p{XDigit}");
        classes.put("cntrl", "\\p{Cntrl}");
        classes.put("print", "\\p{Print}");
        classes.put("graph", "\\p{Graph}");
        classes.put("blank", "\\p{Blank}");
        classes.put("ascii", "\\p{ASCII}");
        classes.put("word", "\\w");
        return classes;
    }

    private static final class BudgetExceeded
            extends RuntimeException
    {
        BudgetExceeded()
        {
            super(null, null, false, false);
        }
    }

    // Counts reads shared by all sub-sequences, so that backtracking cannot run unbounded.
    private record BudgetedSequence(CharSequence value, long[] remaining)
            implements CharSequence
    {
        @Override
        public int length()
        {
            return value.length();
        }

        @Override
        public char charAt(int index)
        {
            if (--remaining[0] < 0) {
                throw new BudgetExceeded();
            }
            return value.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end)
        {
            return new BudgetedSequence(value.subSequence(start, end), remaining);
        }

        @Override
        public String toString()
        {
            return value.toString();
        }
    }
}
