package org.vigie.screening;

import org.apache.commons.text.similarity.JaroWinklerSimilarity;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class JaroWinklerTest
{
    /** Model check against the commons-text implementation on seeded random strings over a small alphabet. */
    @Test
    void agreesWithTheReferenceImplementation()
    {
        JaroWinklerSimilarity reference = new JaroWinklerSimilarity();
        Random random = new Random(2026);
        for (int i = 0; i < 20_000; i++) {
            String first = random(random, 1 + random.nextInt(i % 100 == 0 ? 150 : 12));
            String second = random(random, 1 + random.nextInt(i % 100 == 0 ? 150 : 12));
            assertThat(JaroWinkler.similarity(first, second)).as(first + " / " + second).isCloseTo(reference.apply(first, second), within(1e-9));
        }
        assertThat(JaroWinkler.similarity("mohammed", "muhammad")).isCloseTo(reference.apply("mohammed", "muhammad"), within(1e-9));
    }

    private static String random(Random random, int length)
    {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append("abcdeho".charAt(random.nextInt(7)));
        }
        return text.toString();
    }
}
