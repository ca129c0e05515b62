package org.vigie.config;

import org.junit.jupiter.api.Test;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigurationValuesTest
{
    private static final ConfigurationValues EMPTY = ConfigurationValues.of(Map.of());

    @Test
    void absentKeysTakeTheDefaults()
    {
        assertThat(EMPTY.text("a.b")).isEmpty();
        assertThat(EMPTY.text("a.b", "fallback")).isEqualTo("fallback");
        assertThat(EMPTY.wholeNumber("a.b", 7, 1, 10)).isEqualTo(7);
        assertThat(EMPTY.wholeNumber("a.b", 7L, 1L, 10L)).isEqualTo(7L);
        assertThat(EMPTY.bool("a.b", true)).isTrue();
        assertThat(EMPTY.duration("a.b", Duration.ofSeconds(3), Duration.ZERO, Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void presentValuesAreStrippedAndParsed()
    {
        ConfigurationValues values = ConfigurationValues.of(Map.of(
                "name", "  node-a ",
                "count", " 42",
                "flag", "false",
                "short", "250ms",
                "minutes", "2m",
                "iso", "PT1.5S"));
        assertThat(values.text("name")).isEqualTo(Optional.of("node-a"));
        assertThat(values.wholeNumber("count", 1, 0, 100)).isEqualTo(42);
        assertThat(values.bool("flag", true)).isFalse();
        Duration maximum = Duration.ofHours(1);
        assertThat(values.duration("short", Duration.ZERO, Duration.ZERO, maximum)).isEqualTo(Duration.ofMillis(250));
        assertThat(values.duration("minutes", Duration.ZERO, Duration.ZERO, maximum)).isEqualTo(Duration.ofMinutes(2));
        assertThat(values.duration("iso", Duration.ZERO, Duration.ZERO, maximum)).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void badValuesNameTheKeyTheValueAndTheRule()
    {
        ConfigurationValues values = ConfigurationValues.of(Map.of(
                "blank", "  ",
                "word", "many",
                "big", "101",
                "flag", "yes",
                "interval", "soon",
                "long-interval", "2h"));
        assertProblem(() -> values.text("blank"), "configuration key 'blank' = '  ': must not be blank");
        assertProblem(() -> values.wholeNumber("word", 1, 0, 100), "configuration key 'word' = 'many': is not a whole number");
        assertProblem(() -> values.wholeNumber("big", 1, 0, 100), "configuration key 'big' = '101': is outside 0..100");
        assertProblem(() -> values.bool("flag", false), "configuration key 'flag' = 'yes': must be true or false");
        assertProblem(() -> values.duration("interval", Duration.ZERO, Duration.ZERO, Duration.ofHours(1)),
                "configuration key 'interval' = 'soon': is not a duration such as 500ms, 5s, 2m, 1h or PT5S");
        assertProblem(() -> values.duration("long-interval", Duration.ZERO, Duration.ZERO, Duration.ofHours(1)),
                "configuration key 'long-interval' = '2h': is outside PT0S..PT1H");
        assertProblem(() -> ConfigurationValues.wholeNumber("huge", "99999999999999999999", 0, Long.MAX_VALUE),
                "configuration key 'huge' = '99999999999999999999': is not a whole number");
    }

    @Test
    void unknownKeysUnderThePrefixAreRejectedFirstInSortedOrder()
    {
        ConfigurationValues values = ConfigurationValues.of(Map.of("store.url", "x", "store.zz", "1", "store.pol-size", "2", "other.key", "3"));
        values.rejectUnknownKeys("other.", List.of("other.key"));
        assertProblem(() -> values.rejectUnknownKeys("store.", List.of("store.url", "store.pool-size")),
                "configuration key 'store.pol-size': unknown key; the store.* keys are [store.pool-size, store.url]");
    }

    @Test
    void anErrorAboutAKeyAsAWholeShowsNoValue()
    {
        VigieException error = ConfigurationValues.invalid("store.url", "is required");
        assertThat(error.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
        assertThat(error.getMessage()).isEqualTo("configuration key 'store.url': is required");
    }

    private static void assertProblem(Runnable read, String message)
    {
        assertThatThrownBy(read::run)
                .isInstanceOf(VigieException.class)
                .hasMessage(message)
                .extracting(error -> ((VigieException) error).errorCode())
                .isEqualTo(ErrorCode.INVALID_CONFIGURATION);
    }
}
