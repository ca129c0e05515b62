package org.vigie.screening;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** A record screened earlier: the caller's identifier, the query used, and the keys (UN:QDi.001) it hit then. */
public record ScreenedRecord(String recordId, ScreeningQuery query, List<String> hitKeys)
{
    public ScreenedRecord
    {
        requireNonNull(recordId, "recordId is null");
        requireNonNull(query, "query is null");
        hitKeys = List.copyOf(requireNonNull(hitKeys, "hitKeys is null"));
    }
}
