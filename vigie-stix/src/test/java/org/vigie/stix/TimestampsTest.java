package org.vigie.stix;

import org.junit.jupiter.api.Test;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hand-written parser and formatter against java.time as the reference (seeded random instants). */
class TimestampsTest
{
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");
    private static final long FIRST_SECOND = LocalDateTime.of(0, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);
    private static final long LAST_SECOND = LocalDateTime.of(9999, 12, 31, 23, 59, 59).toEpochSecond(ZoneOffset.UTC);

    @Test
    void formatAndParseAgreeWithJavaTime()
    {
        Random random = new Random(20260301);
        for (int i = 0; i < 200_000; i++) {
            Instant instant = randomInstant(random);
            String formatted = Timestamps.format(instant);
            assertThat(formatted).as("format of %s", instant).isEqualTo(referenceFormat(instant));
            assertThat(Timestamps.parse(formatted)).isEqualTo(instant);
            assertThat(Timestamps.tryParse(formatted)).contains(instant);

            String micros = Timestamps.formatMicros(instant);
            Instant truncated = instant.truncatedTo(ChronoUnit.MICROS);
            assertThat(micros).isEqualTo(SECONDS.format(LocalDateTime.ofInstant(truncated, ZoneOffset.UTC))
                    + "." + String.format("%06d", truncated.getNano() / 1_000) + "Z");
            assertThat(Timestamps.parse(micros)).isEqualTo(truncated);
        }
    }

    @Test
    void parsesEveryPrecisionAsJavaTimeDoes()
    {
        Random random = new Random(20260302);
        for (int i = 0; i < 100_000; i++) {
            Instant seconds = Instant.ofEpochSecond(FIRST_SECOND + (long) (random.nextDouble() * (LAST_SECOND - FIRST_SECOND)));
            StringBuilder text = new StringBuilder(SECONDS.format(LocalDateTime.ofInstant(seconds, ZoneOffset.UTC)));
            int digits = random.nextInt(10);
            if (digits > 0) {
                text.append('.');
                for (int digit = 0; digit < digits; digit++) {
                    text.append((char) ('0' + random.nextInt(10)));
                }
            }
            text.append('Z');
            // Instant.parse reads ISO-8601 with 0 to 9 fraction digits, the reference here.
            assertThat(Timestamps.parse(text.toString())).as(text.toString()).isEqualTo(Instant.parse(text));
        }
    }

    @Test
    void rejectsImpossibleDatesAsJavaTimeDoes()
    {
        Random random = new Random(20260303);
        for (int i = 0; i < 50_000; i++) {
            int year = random.nextInt(10_000);
            int month = 1 + random.nextInt(12);
            int day = 1 + random.nextInt(31);
            String text = String.format("%04d-%02d-%02dT12:30:00.000Z", year, month, day);
            boolean real;
            try {
                LocalDate.of(year, month, day);
                real = true;
            }
            catch (DateTimeException e) {
                real = false;
            }
            assertThat(Timestamps.tryParse(text)).as(text).isEqualTo(real ? java.util.Optional.of(Instant.parse(text)) : java.util.Optional.empty());
        }
    }

    @Test
    void rejectsTextNotOfTheStixForm()
    {
        List<String> malformed = List.of("", "2020-01-01", "2020-01-01T00:00:00", "2020-01-01t00:00:00Z", "2020-01-01T00:00:00z",
                "2020-01-01T00:00:00+00:00", "2020-01-01T00:00Z", "2020-01-01T00:00:00.Z", "2020-1-01T00:00:00Z", "20200-01-01T00:00:00Z",
                "2020-01-01T00:00:00.12a4Z", "2020-01-01 00:00:00Z", "+2020-01-01T00:00:00Z", "2020-01-01T24:00:00Z", "2020-01-01T23:60:00Z",
                "2020-13-01T00:00:00Z", "2020-00-01T00:00:00Z", "2021-02-29T00:00:00Z", "2020-04-31T00:00:00Z", "2020-01-01T00:00:61Z",
                "２020-01-01T00:00:00Z");
        for (String text : malformed) {
            assertThat(Timestamps.tryParse(text)).as(text).isEmpty();
            assertThatThrownBy(() -> Timestamps.parse(text)).as(text)
                    .isInstanceOfSatisfying(VigieException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_TIMESTAMP);
                        assertThat(e.getMessage()).contains("'" + text + "'");
                    });
        }
        assertThat(Timestamps.tryParse(null)).isEmpty();
        assertThatThrownBy(() -> Timestamps.parse(null)).isInstanceOf(VigieException.class);
    }

    @Test
    void finerThanNanosecondDigitsMustBeZeroToParse()
    {
        assertThat(Timestamps.parse("2020-02-29T23:59:59.123456789000Z")).isEqualTo(Instant.parse("2020-02-29T23:59:59.123456789Z"));
        assertThatThrownBy(() -> Timestamps.parse("2020-02-29T23:59:59.1234567891Z"))
                .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.getMessage()).contains("more than nanosecond precision"));
        // tryParse is for checking and ordering: it drops the digits an Instant cannot hold.
        assertThat(Timestamps.tryParse("2020-02-29T23:59:59.1234567891Z")).contains(Instant.parse("2020-02-29T23:59:59.123456789Z"));
    }

    @Test
    void leapSecondIsTheLastInstantOfItsMinute()
    {
        assertThat(Timestamps.parse("2016-12-31T23:59:60Z")).isEqualTo(Instant.parse("2016-12-31T23:59:59.999999999Z"));
        assertThat(Timestamps.parse("2016-12-31T23:59:60.500Z")).isEqualTo(Instant.parse("2016-12-31T23:59:59.999999999Z"));
    }

    @Test
    void yearsBeyondTheStixFormFormatAsJavaTimeDoes()
    {
        for (Instant instant : List.of(Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("-0001-12-31T23:59:59.5Z"), Instant.parse("+999999-06-30T12:00:00.000001Z"))) {
            assertThat(Timestamps.format(instant)).isEqualTo(referenceFormat(instant));
        }
        assertThat(Timestamps.format(Instant.ofEpochSecond(FIRST_SECOND))).isEqualTo("0000-01-01T00:00:00.000Z");
        assertThat(Timestamps.format(Instant.ofEpochSecond(LAST_SECOND, 999_999_999))).isEqualTo("9999-12-31T23:59:59.999999999Z");
    }

    @Test
    void precisionDigitsCountsTheFraction()
    {
        assertThat(Timestamps.precisionDigits("2020-01-01T00:00:00Z")).isZero();
        assertThat(Timestamps.precisionDigits(Timestamps.format(Instant.ofEpochSecond(0, 1)))).isEqualTo(9);
    }

    private static Instant randomInstant(Random random)
    {
        long second = FIRST_SECOND + (long) (random.nextDouble() * (LAST_SECOND - FIRST_SECOND + 1));
        int nanos = switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextInt(1_000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1_000;
            default -> random.nextInt(1_000_000_000);
        };
        return Instant.ofEpochSecond(second, nanos);
    }

    /** The java.time formatting this class replaced: millisecond, microsecond or nanosecond precision. */
    private static String referenceFormat(Instant instant)
    {
        String seconds = SECONDS.format(LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC));
        int nanos = instant.getNano();
        String fraction;
        if (nanos % 1_000_000 == 0) {
            fraction = String.format("%03d", nanos / 1_000_000);
        }
        else if (nanos % 1_000 == 0) {
            fraction = String.format("%06d", nanos / 1_000);
        }
        else {
            fraction = String.format("%09d", nanos);
        }
        return seconds + "." + fraction + "Z";
    }
}
