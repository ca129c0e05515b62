package org.vigie.exchange.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A fake clock that moves only when told. */
public final class MutableClock
        implements InstantSource
{
    private Instant now;

    public MutableClock(Instant start)
    {
        this.now = start;
    }

    @Override
    public synchronized Instant instant()
    {
        return now;
    }

    public synchronized void advance(Duration duration)
    {
        now = now.plus(duration);
    }
}
