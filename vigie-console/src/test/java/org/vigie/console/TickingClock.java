package org.vigie.console;

import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/** A fake clock that moves one millisecond forward each time it is read: deterministic and increasing. */
final class TickingClock
        implements InstantSource
{
    private final AtomicLong millis;

    TickingClock(Instant start)
    {
        this.millis = new AtomicLong(start.toEpochMilli());
    }

    @Override
    public Instant instant()
    {
        return Instant.ofEpochMilli(millis.getAndIncrement());
    }
}
