package org.vigie.node.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waiting, with a deadline, for what running nodes, replicas and workers report (never a sleep standing in for the work). */
public final class Polling
{
    /** Long enough for a replica or worker on the shared 2-core machine; the condition usually holds within a second. */
    public static final Duration DEADLINE = Duration.ofSeconds(90);

    private Polling() {}

    /** Asks {@code condition} every 50 ms until it holds; fails naming {@code what} after {@link #DEADLINE}. */
    public static void await(String what, BooleanSupplier condition)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + DEADLINE + ": " + what);
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }
}
