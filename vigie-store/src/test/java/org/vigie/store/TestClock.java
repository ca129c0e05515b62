package org.vigie.store;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

import static java.util.Objects.requireNonNull;

/** A clock tests set and advance by hand. */
public final class TestClock
        implements InstantSource
{
    private Instant now;

    public TestClock(Instant start)
    {
        this.now = requireNonNull(start, "start is null");
    }

    @Override
    public synchronized Instant instant()
    {
        return now;
    }

    public synchronized void set(Instant instant)
    {
        now = requireNonNull(instant, "instant is null");
    }

    public synchronized void advance(Duration duration)
    {
        now = now.plus(duration);
    }
}
