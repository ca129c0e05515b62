package org.vigie.console;

import io.javalin.http.Context;
import org.vigie.taxii.auth.AuthenticatedUser;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import static java.util.Objects.requireNonNull;

/**
 * The live feed as server-sent events: first the recent events the user may read, then each new one
 * as it is published, as {@code event: object} with the summary JSON as data; a comment line every
 * {@code heartbeat} keeps proxies from closing an idle stream. Each stream holds one server thread
 * (fine for analysts' consoles, not for thousands of clients). A client too slow to keep up with
 * {@value #QUEUE_CAPACITY} pending events gets {@code event: overflow} and is disconnected; the
 * console reconnects.
 */
final class FeedStream
{
    static final int QUEUE_CAPACITY = 1_000;

    // Put in a stream's queue to end it.
    private static final Object END = new Object();

    private final ObjectEvents events;
    private final BiFunction<ObjectEvent, AuthenticatedUser, String> summaries;
    private final Duration heartbeat;
    private final Set<BlockingQueue<Object>> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    FeedStream(ObjectEvents events, BiFunction<ObjectEvent, AuthenticatedUser, String> summaries, Duration heartbeat)
    {
        this.events = requireNonNull(events, "events is null");
        this.summaries = requireNonNull(summaries, "summaries is null");
        this.heartbeat = requireNonNull(heartbeat, "heartbeat is null");
    }

    void stream(Context context, AuthenticatedUser user)
            throws IOException, InterruptedException
    {
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY + 1);
        boolean[] overflow = new boolean[1];
        open.add(queue);
        try (ObjectEvents.Subscription ignored = events.subscribe(event -> {
            if (user.canRead(event.collectionId()) && !queue.offer(event)) {
                overflow[0] = true;
            }
        })) {
            context.status(200);
            context.res().setContentType("text/event-stream; charset=utf-8");
            context.res().setHeader("Cache-Control", "no-store");
            context.res().setHeader("X-Accel-Buffering", "no");
            OutputStream out = context.res().getOutputStream();
            write(out, ": connected\n\n");
            Set<String> replayed = new HashSet<>();
            for (ObjectEvent event : events.recent()) {
                if (user.canRead(event.collectionId())) {
                    replayed.add(key(event));
                    send(out, event, user);
                }
            }
            while (!closed) {
                Object next = queue.poll(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
                if (overflow[0]) {
                    write(out, "event: overflow\ndata: {}\n\n");
                    return;
                }
                if (next == END) {
                    return;
                }
                if (next instanceof ObjectEvent event) {
                    if (!replayed.remove(key(event))) {
                        send(out, event, user);
                    }
                }
                else {
                    write(out, ": keep-alive\n\n");
                }
            }
        }
        catch (IOException e) {
            // The browser went away; its subscription is closed above.
        }
        finally {
            open.remove(queue);
        }
    }

    /** Ends every open stream (when the server stops). */
    void close()
    {
        closed = true;
        for (BlockingQueue<Object> queue : open) {
            queue.offer(END);
        }
    }

    private void send(OutputStream out, ObjectEvent event, AuthenticatedUser user)
            throws IOException
    {
        String data = summaries.apply(event, user);
        write(out, "event: object\nid: " + event.object().id() + "\ndata: " + data + "\n\n");
    }

    private static String key(ObjectEvent event)
    {
        return event.collectionId() + " " + event.object().id() + " " + event.object().version().map(Object::toString).orElse("") + " " + event.dateAdded();
    }

    private static void write(OutputStream out, String text)
            throws IOException
    {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
