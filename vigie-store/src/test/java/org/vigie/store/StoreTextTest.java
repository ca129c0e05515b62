package org.vigie.store;

import org.junit.jupiter.api.Test;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hand-written instant key formatting and parsing, against java.time as the reference. */
public class StoreTextTest
{
    @Test
    public void instantKeysMatchTheReferenceFormatAndParse()
    {
        Random random = new Random(20261122);
        long first = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long last = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int round = 0; round < 100_000; round++) {
            Instant instant = Instant.ofEpochSecond(first + Math.floorMod(random.nextLong(), last - first + 1), random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000));
            String key = StoreText.instantKey(instant);
            assertThat(key).hasSize(30);
            // The reference: the same instant, text that Instant.parse reads back exactly.
            assertThat(Instant.parse(key)).isEqualTo(instant);
            assertThat(StoreText.parseInstantKey(key)).isEqualTo(instant);
        }
    }

    @Test
    public void keysSortInTimeOrder()
    {
        Random random = new Random(7);
        for (int round = 0; round < 10_000; round++) {
            Instant one = Instant.ofEpochSecond(random.nextInt(Integer.MAX_VALUE), random.nextInt(1_000_000_000));
            Instant other = Instant.ofEpochSecond(random.nextInt(Integer.MAX_VALUE), random.nextInt(1_000_000_000));
            assertThat(Integer.signum(StoreText.instantKey(one).compareTo(StoreText.instantKey(other)))).isEqualTo(Integer.signum(one.compareTo(other)));
        }
    }

    @Test
    public void invalidDatesAreRejectedAsByInstantParse()
    {
        assertThat(StoreText.parseInstantKey("2024-02-29T10:00:00.000000000Z")).isEqualTo(Instant.parse("2024-02-29T10:00:00Z"));
        assertThatThrownBy(() -> StoreText.parseInstantKey("2023-02-29T10:00:00.000000000Z")).isInstanceOf(DateTimeException.class);
        assertThatThrownBy(() -> StoreText.parseInstantKey("2023-04-31T10:00:00.000000000Z")).isInstanceOf(DateTimeException.class);
        assertThatThrownBy(() -> StoreText.parseInstantKey("2023-13-01T10:00:00.000000000Z")).isInstanceOf(DateTimeException.class);
        // Other shapes still parse through java.time.
        assertThat(StoreText.parseInstantKey("2023-01-01T10:00:00Z")).isEqualTo(Instant.parse("2023-01-01T10:00:00Z"));
    }
}
