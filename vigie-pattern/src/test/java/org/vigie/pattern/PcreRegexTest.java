package org.vigie.pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** PCRE constructs Java lacks are translated or rejected; the translation keeps PCRE's meaning. */
class PcreRegexTest
{
    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            ^[[:alpha:]]+$          | abcXYZ        | true
            ^[[:alpha:]]+$          | abc1          | false
            ^[[:xdigit:][:space:]]+$| ff 0a         | true
            ^[]a]+$                 | ]a]           | true
            ^[^]a]+$                | bcd           | true
            ^[^]a]+$                | b]d           | false
            ^a{,2}$                 | a{,2}         | true
            ^a{2}$                  | aa            | true
            ^\\d{2,}$               | 123           | true
            }                       | a}            | true
            (?P<x>a)(?P=x)          | aa            | true
            (?P<x>a)(?P=x)          | ab            | false
            (?i:ABC)                | xabcx         | true
            (?s)a.b                 | "a\nb"        | true
            a.b                     | "a\nb"        | false
            ^b$                     | "a\nb"        | false
            (?m)^b$                 | "a\nb"        | true
            a$                      | "a\n"         | true
            a\\z                    | "a\n"         | false
            \\Qa.b\\E               | a.b           | true
            \\Qa.b\\E               | axb           | false
            """)
    void translatedMeaning(String pcre, String value, boolean expected)
    {
        assertThat(PcreRegex.find(PcreRegex.compile(pcre), value.replace("\\n", "\n"))).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"(?R)", "a(?1)", "(?|a|b)", "(*FAIL)", "a\\Kb", "(?(1)a|b)", "\\g1", "\\o{101}", "\\N", "(?U)a+", "(?J)a", "(?C1)a", "[[:nope:]]", "[abc", "a\\"})
    void unsupportedConstructsAreRejected(String pcre)
    {
        assertThatThrownBy(() -> PcreRegex.compile(pcre))
                .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PATTERN))
                .hasMessageContaining("invalid regular expression");
    }

    @ParameterizedTest
    @ValueSource(strings = {"^(a+)+$", "(a|aa)+$", "^(a|a?)+$"})
    void catastrophicBacktrackingEndsAsNoMatch(String pcre)
    {
        String value = "a".repeat(40) + "!";
        assertThat(PcreRegex.find(PcreRegex.compile(pcre), value)).isFalse();
    }
}
