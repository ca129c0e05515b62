package org.vigie.screening;

import static java.util.Objects.requireNonNull;

/** A designation that a re-screen found for a record which did not hit it before. */
public record NewHit(String recordId, ScreeningResult result)
{
    public NewHit
    {
        requireNonNull(recordId, "recordId is null");
        requireNonNull(result, "result is null");
    }
}
