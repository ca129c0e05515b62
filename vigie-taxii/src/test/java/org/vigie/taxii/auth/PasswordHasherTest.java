package org.vigie.taxii.auth;

import org.junit.jupiter.api.Test;
import org.vigie.error.VigieException;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PasswordHasherTest
{
    private final PasswordHasher hasher = PasswordHasher.withIterations(500);

    @Test
    void hashesAreSaltedSelfDescribingAndVerify()
    {
        String first = hasher.hash("s3cret");
        String second = hasher.hash("s3cret");
        assertThat(first).isNotEqualTo(second).startsWith("pbkdf2-sha256$500$").doesNotContain("s3cret");
        assertThat(first.split("\\$")).hasSize(4);
        assertThat(hasher.verify("s3cret", first)).isTrue();
        assertThat(hasher.verify("s3cret", second)).isTrue();
        assertThat(hasher.verify("s3cret ", first)).isFalse();
        // A hash made with other iterations verifies: the iterations are read from the hash.
        assertThat(PasswordHasher.withIterations(3).verify("s3cret", first)).isTrue();
    }

    @Test
    void randomPasswordsVerifyOnlyThemselves()
    {
        Random random = new Random(99);
        for (int round = 0; round < 20; round++) {
            String password = randomText(random);
            String other = randomText(random);
            String hash = hasher.hash(password);
            assertThat(hasher.verify(password, hash)).isTrue();
            assertThat(hasher.verify(other, hash)).isEqualTo(other.equals(password));
        }
    }

    @Test
    void productionDefaultIsSlowEnough()
    {
        assertThat(PasswordHasher.standard().iterations()).isGreaterThanOrEqualTo(PasswordHasher.MINIMUM_PRODUCTION_ITERATIONS);
    }

    @Test
    void malformedHashesAreReported()
    {
        assertThatThrownBy(() -> hasher.verify("x", "plain")).isInstanceOf(VigieException.class).hasMessageContaining("pbkdf2-sha256");
        assertThatThrownBy(() -> hasher.verify("x", "pbkdf2-sha256$many$AA$AA")).isInstanceOf(VigieException.class);
        assertThatThrownBy(() -> PasswordHasher.withIterations(0)).isInstanceOf(VigieException.class);
    }

    private static String randomText(Random random)
    {
        StringBuilder text = new StringBuilder();
        int length = 1 + random.nextInt(4);
        for (int index = 0; index < length; index++) {
            text.append((char) ('a' + random.nextInt(3)));
        }
        return text.toString();
    }
}
