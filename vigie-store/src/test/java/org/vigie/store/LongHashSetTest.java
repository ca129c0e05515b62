package org.vigie.store;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

public class LongHashSetTest
{
    /** Against java.util.HashSet on random values drawn from a small range (many repeats) and a few special ones. */
    @Test
    public void behavesAsAHashSetOfLongs()
    {
        Random random = new Random(20261123);
        for (int round = 0; round < 20; round++) {
            LongHashSet set = new LongHashSet();
            Set<Long> model = new HashSet<>();
            int range = 1 + random.nextInt(50_000);
            for (int step = 0; step < 30_000; step++) {
                long value = switch (random.nextInt(20)) {
                    case 0 -> 0L;
                    case 1 -> Long.MIN_VALUE;
                    case 2 -> -1L;
                    // Values that differ only in their high bits, which the slot choice must still spread.
                    case 3 -> (long) random.nextInt(range) << 40;
                    default -> random.nextInt(range) - range / 2;
                };
                if (random.nextBoolean()) {
                    assertThat(set.add(value)).as("add %d", value).isEqualTo(model.add(value));
                }
                else {
                    assertThat(set.contains(value)).as("contains %d", value).isEqualTo(model.contains(value));
                }
            }
            assertThat(set.size()).isEqualTo(model.size());
            for (long value : model) {
                assertThat(set.contains(value)).isTrue();
            }
        }
    }
}
