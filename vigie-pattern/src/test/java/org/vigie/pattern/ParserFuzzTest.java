package org.vigie.pattern;

import org.junit.jupiter.api.Test;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzing of the parser with seeded random input: random characters from the pattern alphabet,
 * and mutations (deletions, insertions, swaps, duplications) of valid patterns. The parser must either
 * return a tree whose printed form parses back to the same tree, or fail with INVALID_PATTERN; never
 * another exception. Deep nesting must fail cleanly too.
 */
class ParserFuzzTest
{
    private static final String ALPHABET = "[]()'.:*,=!<>-+_ \\abcdefhtxyz0123456789ANDORNOTFOLLOWEDBYWITHINSECONDSREPEATSTIMESSTARTSTOPLIKEMATCHESINEXISTSISSUBSETISSUPERSET\u00e9\n";
    private static final List<String> SEEDS = List.of(
            "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
            "([file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4'] FOLLOWEDBY [windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\foo\\\\bar']) WITHIN 300 SECONDS",
            "[network-traffic:dst_ref.value ISSUBSET '2001:0db8:dead:beef:0000:0000:0000:0000/64' AND network-traffic:protocols[*] = 'tcp']",
            "[file:name LIKE 'foo%.dll' OR file:size IN (1, 2.5, -3) OR file:created < t'2016-01-01T00:00:00.123Z'] REPEATS 5 TIMES",
            "[artifact:payload_bin MATCHES '^\\\\xff(?i)ab[[:digit:]]{2,}$' AND artifact:payload_bin = b'aGVsbG8=' AND file:magic_number_hex = h'ffd8'] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'",
            "[EXISTS x-custom:'a b'.c[0] AND x-custom:d NOT != true]");

    @Test
    void randomInputNeverCrashes()
    {
        Random random = new Random(20240301);
        int valid = 0;
        for (int i = 0; i < 30_000; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(60);
            for (int j = 0; j < length; j++) {
                text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            valid += check(text.toString()) ? 1 : 0;
        }
        assertThat(valid).isLessThan(30_000);
    }

    @Test
    void mutatedPatternsNeverCrash()
    {
        Random random = new Random(42);
        int valid = 0;
        int invalid = 0;
        for (int i = 0; i < 30_000; i++) {
            StringBuilder text = new StringBuilder(SEEDS.get(random.nextInt(SEEDS.size())));
            int mutations = 1 + random.nextInt(4);
            for (int m = 0; m < mutations && text.length() > 0; m++) {
                int position = random.nextInt(text.length());
                switch (random.nextInt(4)) {
                    case 0 -> text.deleteCharAt(position);
                    case 1 -> text.insert(position, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                    case 2 -> {
                        int other = random.nextInt(text.length());
                        char swapped = text.charAt(position);
                        text.setCharAt(position, text.charAt(other));
                        text.setCharAt(other, swapped);
                    }
                    default -> {
                        int end = Math.min(text.length(), position + random.nextInt(12));
                        text.insert(position, text.substring(position, end));
                    }
                }
            }
            if (check(text.toString())) {
                valid++;
            }
            else {
                invalid++;
            }
        }
        // Mutations must exercise both outcomes.
        assertThat(valid).isPositive();
        assertThat(invalid).isPositive();
    }

    @Test
    void everySeedIsValid()
    {
        for (String seed : SEEDS) {
            assertThat(check(seed)).as(seed).isTrue();
        }
    }

    @Test
    void deepNestingFailsCleanly()
    {
        String deep = "(".repeat(100_000) + "[file:name = 'a']" + ")".repeat(100_000);
        assertThat(check(deep)).isIn(true, false);
        String deepComparison = "[" + "(".repeat(50_000) + "file:name = 'a'" + ")".repeat(50_000) + "]";
        assertThat(check(deepComparison)).isIn(true, false);
        String longChain = "[file:name = 'a']" + " AND [file:name = 'a']".repeat(5_000);
        assertThat(check(longChain)).isTrue();
    }

    private static String describe(String text)
    {
        return text.length() > 200 ? text.substring(0, 200) + "... (" + text.length() + " characters)" : text;
    }

    /** True when the text parsed (and round-tripped), false when it was rejected properly. */
    private static boolean check(String text)
    {
        ObservationExpression parsed;
        try {
            parsed = PatternParser.parse(text);
        }
        catch (VigieException e) {
            assertThat(e.errorCode()).as(describe(text)).isEqualTo(ErrorCode.INVALID_PATTERN);
            assertThat(e.getMessage()).as(describe(text)).startsWith("invalid pattern").containsPattern("column \\d+|nested too deeply|longer than");
            return false;
        }
        String printed;
        try {
            printed = parsed.toPatternText();
        }
        catch (StackOverflowError e) {
            // Printing is recursive like the tree; very deep trees are only a concern for the parser.
            return true;
        }
        assertThat(PatternParser.parse(printed)).as(describe(text)).isEqualTo(parsed);
        CompiledPattern.compile(parsed);
        return true;
    }
}
