package org.vigie.screening;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

/** Options of a batch run: the threshold, how many matches per row (top) and how many threads screen. */
public record BatchOptions(double threshold, int top, int parallelism)
{
    public BatchOptions
    {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "batch threshold " + threshold + " is outside [0, 1]");
        }
        if (top < 1 || top > 100) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "batch --top " + top + " is outside [1, 100]");
        }
        if (parallelism < 1) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "batch parallelism " + parallelism + " must be at least 1");
        }
    }

    public static BatchOptions defaults()
    {
        return new BatchOptions(Screener.RECOMMENDED_THRESHOLD, 1, Runtime.getRuntime().availableProcessors());
    }
}
