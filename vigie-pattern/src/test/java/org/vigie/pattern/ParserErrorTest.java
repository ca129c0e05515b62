package org.vigie.pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vigie.error.VigieException;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Errors name the column and what was expected or why the text is wrong. */
class ParserErrorTest
{
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            [file:name = 'a'                                  | at column 17: unexpected end of pattern, expected
            [file:name =? 'a']                                | at column 13: unexpected '?'
            [file:name = 'a'] WITHIN 5                        | at column 27: unexpected end of pattern, expected 'SECONDS'
            [file:name = 'a'] WITHIN 0 SECONDS                | at column 26: WITHIN needs a positive number of seconds
            [file:name = 'a'] REPEATS 0 TIMES                 | at column 27: REPEATS needs a count
            [file:name = 'a\\qb']                             | at column 16: invalid escape '\\q'
            [file:name = 'a]                                  | at column 14: unterminated string constant
            [file:created = t'2016-13-01T00:00:00Z']          | at column 17: invalid timestamp constant
            [file:hashes.SHA-256 = 'x']                       | at column 14: property name 'SHA-256' contains '-'
            [file:name MATCHES '(?R)']                        | at column 20: invalid regular expression
            [file:name MATCHES 'a(b']                         | at column 20: invalid regular expression
            [ipv4-addr:value ISSUBSET '10.0.0.0/33']          | at column 27: ISSUBSET needs an IPv4 or IPv6 address or CIDR block
            [file:size IN (1, 'a')]                           | at column 19: all values of an IN set must be of one type
            [file:name = 'a'] START t'2016-07-01T00:00:00Z' STOP t'2016-06-01T00:00:00Z' | at column 54: STOP t'2016-06-01T00:00:00Z' must be later than START
            [file:name = 'a'] FOLLOWEDBY                      | at column 29: unexpected end of pattern, expected one of '[', '('
            [Bad-Type:name = 'a']                             | at column 2: object type 'Bad-Type' is not a STIX type name
            [file:name > true]                                | at column 14: unexpected 'true'
            """)
    void errorNamesColumnAndExpectation(String pattern, String message)
    {
        assertThatThrownBy(() -> PatternParser.parse(pattern))
                .isInstanceOf(VigieException.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            "[file:name = 'a']\\n AND\\n [file:name ="         | at line 3, column 14: unexpected end of pattern
            """)
    void multilinePatternsNameTheLine(String pattern, String message)
    {
        assertThatThrownBy(() -> PatternParser.parse(pattern.replace("\\n", "\n")))
                .isInstanceOf(VigieException.class)
                .hasMessageContaining(message);
    }
}
