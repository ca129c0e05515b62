package org.vigie.taxii.client;

import java.time.Duration;

/** Waits between retries and status polls; tests inject one that records instead of sleeping. */
@FunctionalInterface
public interface Sleeper
{
    void sleep(Duration duration)
            throws InterruptedException;

    static Sleeper system()
    {
        return duration -> Thread.sleep(duration.toMillis());
    }
}
