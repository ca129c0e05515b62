package org.vigie.config;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Typed values read from configuration properties (key to text). Absent keys take the caller's default; present
 * ones are stripped and must parse and lie in range, or the read fails with {@link ErrorCode#INVALID_CONFIGURATION}
 * naming the key, the value and the rule.
 */
public final class ConfigurationValues
{
    private static final Pattern SHORT_DURATION = Pattern.compile("([0-9]{1,12})(ms|s|m|h)");

    private final Map<String, String> properties;

    private ConfigurationValues(Map<String, String> properties)
    {
        this.properties = requireNonNull(properties, "properties is null");
    }

    /** Reads from {@code properties} as they are (not copied: callers may pass a view). */
    public static ConfigurationValues of(Map<String, String> properties)
    {
        return new ConfigurationValues(properties);
    }

    /**
     * Rejects every key that starts with {@code prefix} but is not among {@code known} (a misspelt key must not be
     * ignored silently); the first in sorted order is reported, so the message does not depend on map order.
     */
    public void rejectUnknownKeys(String prefix, Collection<String> known)
    {
        requireNonNull(prefix, "prefix is null");
        requireNonNull(known, "known is null");
        for (String key : new TreeSet<>(properties.keySet())) {
            if (key.startsWith(prefix) && !known.contains(key)) {
                throw invalid(key, "unknown key; the " + prefix + "* keys are " + new TreeSet<>(known));
            }
        }
    }

    /** The stripped text of {@code key}, empty when absent; a blank value is an error. */
    public Optional<String> text(String key)
    {
        requireNonNull(key, "key is null");
        String value = properties.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value.isBlank()) {
            throw invalid(key, value, "must not be blank");
        }
        return Optional.of(value.strip());
    }

    public String text(String key, String defaultValue)
    {
        requireNonNull(defaultValue, "defaultValue is null");
        return text(key).orElse(defaultValue);
    }

    public long wholeNumber(String key, long defaultValue, long minimum, long maximum)
    {
        Optional<String> text = text(key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        return wholeNumber(key, text.get(), minimum, maximum);
    }

    public int wholeNumber(String key, int defaultValue, int minimum, int maximum)
    {
        return (int) wholeNumber(key, (long) defaultValue, minimum, maximum);
    }

    /** Parses {@code text}, the value of {@code key}, as a whole number within minimum..maximum. */
    public static long wholeNumber(String key, String text, long minimum, long maximum)
    {
        requireNonNull(key, "key is null");
        requireNonNull(text, "text is null");
        long value;
        try {
            value = Long.parseLong(text.strip());
        }
        catch (NumberFormatException e) {
            throw invalid(key, text, "is not a whole number");
        }
        if (value < minimum || value > maximum) {
            throw invalid(key, text, "is outside " + minimum + ".." + maximum);
        }
        return value;
    }

    public boolean bool(String key, boolean defaultValue)
    {
        Optional<String> text = text(key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        return switch (text.get()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(key, text.get(), "must be true or false");
        };
    }

    /**
     * A duration written as {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h} or in ISO-8601 ({@code PT5S}), within
     * minimum..maximum.
     */
    public Duration duration(String key, Duration defaultValue, Duration minimum, Duration maximum)
    {
        requireNonNull(defaultValue, "defaultValue is null");
        Optional<String> text = text(key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        Duration value = parseDuration(key, text.get());
        if (value.compareTo(minimum) < 0 || value.compareTo(maximum) > 0) {
            throw invalid(key, text.get(), "is outside " + minimum + ".." + maximum);
        }
        return value;
    }

    private static Duration parseDuration(String key, String text)
    {
        Matcher matcher = SHORT_DURATION.matcher(text);
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> throw new IllegalStateException("unit not in the pattern: " + matcher.group(2));
            };
        }
        try {
            return Duration.parse(text);
        }
        catch (DateTimeParseException e) {
            throw invalid(key, text, "is not a duration such as 500ms, 5s, 2m, 1h or PT5S");
        }
    }

    /** The one form of every configuration error: {@code configuration key 'KEY' = 'VALUE': WHY}. */
    public static VigieException invalid(String key, String value, String why)
    {
        requireNonNull(key, "key is null");
        requireNonNull(why, "why is null");
        String shown = value == null ? "" : " = '" + value + "'";
        return new VigieException(ErrorCode.INVALID_CONFIGURATION, "configuration key '" + key + "'" + shown + ": " + why);
    }

    /** An error about a key as a whole (missing, conflicting with another key), without one value to show. */
    public static VigieException invalid(String key, String why)
    {
        return invalid(key, null, why);
    }
}
