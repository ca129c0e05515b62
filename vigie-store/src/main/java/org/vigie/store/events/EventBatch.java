package org.vigie.store.events;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Events read from a log and the cursor just past them: a consumer that saves {@code next} only after it
 * has handled {@code events} resumes, after any restart, with no gap and no duplicate.
 */
public record EventBatch(List<Event> events, Cursor next)
{
    public EventBatch
    {
        events = List.copyOf(requireNonNull(events, "events is null"));
        requireNonNull(next, "next is null");
    }

    public boolean isEmpty()
    {
        return events.isEmpty();
    }
}
