package org.vigie.exchange.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A fake clock that moves forward by a fixed step each time it is read. */
public final class SteppingClock
        implements InstantSource
{
    private Instant next;
    private final Duration step;

    public SteppingClock(Instant start, Duration step)
    {
        this.next = start;
        this.step = step;
    }

    @Override
    public synchronized Instant instant()
    {
        Instant now = next;
        next = next.plus(step);
        return now;
    }
}
