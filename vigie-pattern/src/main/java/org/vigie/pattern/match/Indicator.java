package org.vigie.pattern.match;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.pattern.CompiledPattern;
import org.vigie.stix.Timestamps;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * An indicator as the matcher needs it: id, version (modified, else created), its compiled STIX
 * pattern, validity window and whether it is revoked.
 */
public record Indicator(String id, Instant version, CompiledPattern pattern, Optional<Instant> validFrom, Optional<Instant> validUntil, boolean revoked)
{
    public Indicator
    {
        requireNonNull(id, "id is null");
        requireNonNull(version, "version is null");
        requireNonNull(pattern, "pattern is null");
        requireNonNull(validFrom, "validFrom is null");
        requireNonNull(validUntil, "validUntil is null");
    }

    /** Reads an indicator object; its pattern must be of pattern_type "stix" and valid. */
    public static Indicator fromJson(JsonNode indicator)
    {
        requireNonNull(indicator, "indicator is null");
        String id = text(indicator, "id", "(indicator without id)");
        if (!"indicator".equals(indicator.path("type").asString(null))) {
            throw new VigieException(ErrorCode.INVALID_STIX, id + ": not an indicator (type is " + indicator.path("type") + ")");
        }
        String patternType = indicator.path("pattern_type").asString("stix");
        if (!patternType.equals("stix")) {
            throw new VigieException(ErrorCode.PATTERN_NOT_SUPPORTED, id + ": pattern_type '" + patternType + "' is not supported, only 'stix'");
        }
        String patternText = text(indicator, "pattern", id);
        CompiledPattern pattern;
        try {
            pattern = CompiledPattern.parse(patternText);
        }
        catch (VigieException e) {
            throw new VigieException(e.errorCode(), id + ": " + e.getMessage(), e);
        }
        Optional<Instant> modified = timestamp(indicator, "modified", id);
        Instant version = modified.or(() -> timestamp(indicator, "created", id)).orElse(Instant.EPOCH);
        boolean revoked = indicator.path("revoked").asBoolean(false);
        return new Indicator(id, version, pattern, timestamp(indicator, "valid_from", id), timestamp(indicator, "valid_until", id), revoked);
    }

    /** Whether the indicator may match at this instant (valid_from inclusive, valid_until exclusive). */
    public boolean isActiveAt(Instant now)
    {
        return !revoked && (validFrom.isEmpty() || !now.isBefore(validFrom.get())) && (validUntil.isEmpty() || now.isBefore(validUntil.get()));
    }

    private static String text(JsonNode node, String property, String where)
    {
        JsonNode value = node.get(property);
        if (value == null || !value.isString()) {
            throw new VigieException(ErrorCode.INVALID_STIX, where + ": property '" + property + "' is required and must be a string");
        }
        return value.stringValue();
    }

    private static Optional<Instant> timestamp(JsonNode node, String property, String id)
    {
        JsonNode value = node.get(property);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isString()) {
            throw new VigieException(ErrorCode.INVALID_STIX, id + ": property '" + property + "' must be a timestamp string");
        }
        try {
            return Optional.of(Timestamps.parse(value.stringValue()));
        }
        catch (VigieException e) {
            throw new VigieException(ErrorCode.INVALID_STIX, id + ": property '" + property + "': " + e.getMessage(), e);
        }
    }
}
