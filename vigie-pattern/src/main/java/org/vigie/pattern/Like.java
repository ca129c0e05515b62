package org.vigie.pattern;

import java.util.regex.Pattern;

/**
 * SQL LIKE as STIX uses it: {@code %} is any run of characters (possibly none), {@code _} exactly one
 * character (one code point); everything else is literal and case-sensitive. The whole value must match.
 */
final class Like
{
    private Like() {}

    static Pattern compile(String like)
    {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        like.codePoints().forEach(codePoint -> {
            if (codePoint == '%' || codePoint == '_') {
                if (literal.length() > 0) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(codePoint == '%' ? ".*" : ".");
            }
            else {
                literal.appendCodePoint(codePoint);
            }
        });
        if (literal.length() > 0) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
