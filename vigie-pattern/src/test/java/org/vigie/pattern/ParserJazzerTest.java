package org.vigie.pattern;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of the parser with Jazzer: run with JAZZER_FUZZ=1 to fuzz; in a normal
 * build it replays the inputs found so far (none committed yet, so it runs the empty input).
 */
class ParserJazzerTest
{
    @FuzzTest(maxDuration = "60s")
    void parserNeverFailsOtherwiseThanWithInvalidPattern(String text)
    {
        if (text == null) {
            // Jazzer may hand a null string; the parser's contract rejects null with NullPointerException.
            return;
        }
        ObservationExpression parsed;
        try {
            parsed = PatternParser.parse(text);
        }
        catch (VigieException e) {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PATTERN);
            return;
        }
        assertThat(PatternParser.parse(parsed.toPatternText())).isEqualTo(parsed);
    }
}
