package org.vigie.kafka;

import tools.jackson.databind.JsonNode;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** A change to the indicator set: a version to add (or replace an older one with), or an indicator gone. */
public record IndicatorUpdate(Kind kind, String indicatorId, Optional<JsonNode> indicator)
{
    public enum Kind
    {
        UPSERT,
        REMOVE
    }

    public IndicatorUpdate
    {
        requireNonNull(kind, "kind is null");
        requireNonNull(indicatorId, "indicatorId is null");
        requireNonNull(indicator, "indicator is null");
        switch (kind) {
            case UPSERT -> {
                if (indicator.isEmpty()) {
                    throw new IllegalArgumentException("indicator update " + indicatorId + ": an upsert needs the indicator");
                }
            }
            case REMOVE -> {
                if (indicator.isPresent()) {
                    throw new IllegalArgumentException("indicator update " + indicatorId + ": a removal carries no indicator");
                }
            }
        }
    }

    public static IndicatorUpdate upsert(JsonNode indicator)
    {
        return new IndicatorUpdate(Kind.UPSERT, indicator.path("id").asString("(indicator without id)"), Optional.of(indicator));
    }

    public static IndicatorUpdate remove(String indicatorId)
    {
        return new IndicatorUpdate(Kind.REMOVE, indicatorId, Optional.empty());
    }
}
