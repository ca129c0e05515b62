package org.vigie.exchange.marking;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

/**
 * The 6x6 evaluation code: source reliability A (completely reliable) to F (cannot be judged) and
 * information credibility 1 (confirmed) to 6 (cannot be judged), written e.g. {@code B2}.
 */
public record EvaluationCode(char sourceReliability, int informationCredibility)
{
    public EvaluationCode
    {
        if (sourceReliability < 'A' || sourceReliability > 'F') {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "source reliability must be a letter A to F, not '" + sourceReliability + "'");
        }
        if (informationCredibility < 1 || informationCredibility > 6) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "information credibility must be 1 to 6, not " + informationCredibility);
        }
    }

    public static EvaluationCode parse(String text)
    {
        String value = text.trim();
        if (value.length() != 2) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "evaluation code '" + text + "' must be a letter A-F followed by a digit 1-6, e.g. B2");
        }
        return new EvaluationCode(Character.toUpperCase(value.charAt(0)), value.charAt(1) - '0');
    }

    @Override
    public String toString()
    {
        return "" + sourceReliability + informationCredibility;
    }
}
