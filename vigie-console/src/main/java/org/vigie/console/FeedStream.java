package org.vigie.console;

import io.javalin.http.Context;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.store.events.Cursor;
import org.vigie.store.events.Event;
import org.vigie.store.events.EventBatch;
import org.vigie.store.events.EventLog;
import org.vigie.store.events.Subscription;
import org.vigie.taxii.auth.AuthenticatedUser;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.util.Objects.requireNonNull;

/**
 * The live feed as server-sent events, read from the store's {@link EventLog} (committed in the same
 * transaction as each change, and shared by every replica of a node on one database). Every message
 * carries an SSE {@code id}: the log cursor just after it. A client that reconnects with
 * {@code Last-Event-ID} (or {@code ?cursor=}) resumes exactly there, on this or any other replica, with
 * no gap and no duplicate. Without one, the stream starts {@value #RECENT_EVENTS} log events back, so a
 * console opening its feed sees what just happened.
 *
 * <p>Messages: {@code event: object} with the summary JSON of a version the user may see, and
 * {@code event: cursor} (data {@code {}}) moving the client's position past events it may not see, so
 * that a resumption never reads them again. A comment line every {@code heartbeat} keeps proxies from
 * closing an idle stream. Each stream holds one server thread and one log subscription (fine for
 * analysts' consoles, not for thousands of clients); a slow client slows only its own subscription.
 */
final class FeedStream
{
    static final int RECENT_EVENTS = 200;
    static final String LAST_EVENT_ID = "Last-Event-ID";
    private static final int QUEUE_CAPACITY = 16;
    private static final long OFFER_MILLISECONDS = 100;

    // Put in a stream's queue to end it.
    private static final Object END = new Object();

    /** Turns a log event into the JSON the user sees, or empty when the user may not see it. */
    @FunctionalInterface
    interface Summaries
    {
        Optional<String> summary(Event event, AuthenticatedUser user);
    }

    private final EventLog log;
    private final Summaries summaries;
    private final Duration heartbeat;
    private final Set<BlockingQueue<Object>> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    FeedStream(EventLog log, Summaries summaries, Duration heartbeat)
    {
        this.log = requireNonNull(log, "log is null");
        this.summaries = requireNonNull(summaries, "summaries is null");
        this.heartbeat = requireNonNull(heartbeat, "heartbeat is null");
    }

    void stream(Context context, AuthenticatedUser user)
            throws IOException
    {
        Cursor start = start(context);
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
        AtomicBoolean ended = new AtomicBoolean();
        open.add(queue);
        // The subscription's own thread waits while this stream is behind, so nothing is dropped or skipped.
        Subscription subscription = log.subscribe(start, batch -> {
            try {
                while (!ended.get() && !queue.offer(batch, OFFER_MILLISECONDS, TimeUnit.MILLISECONDS)) {
                    // the browser is slow: keep the batch until it is taken or the stream ends
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            context.status(200);
            context.res().setContentType("text/event-stream; charset=utf-8");
            context.res().setHeader("Cache-Control", "no-store");
            context.res().setHeader("X-Accel-Buffering", "no");
            OutputStream out = context.res().getOutputStream();
            write(out, ": connected\n\n");
            write(out, "event: cursor\nid: " + start.encode() + "\ndata: {}\n\n");
            while (!closed) {
                Object next = queue.poll(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
                if (next == END) {
                    return;
                }
                if (next instanceof EventBatch batch) {
                    send(out, batch, user);
                }
                else if (subscription.failure().isPresent()) {
                    // The log failed (database down): end the stream; the console reconnects from its last id.
                    write(out, "event: failure\ndata: {}\n\n");
                    return;
                }
                else {
                    write(out, ": keep-alive\n\n");
                }
            }
        }
        catch (IOException e) {
            // The browser went away; the subscription is closed below.
        }
        catch (InterruptedException e) {
            // The server is stopping: end the stream quietly, keeping the thread's interrupt.
            Thread.currentThread().interrupt();
        }
        finally {
            ended.set(true);
            open.remove(queue);
            subscription.close();
        }
    }

    /** Ends every open stream (when the server stops). */
    void close()
    {
        closed = true;
        for (BlockingQueue<Object> queue : open) {
            queue.clear();
            queue.offer(END);
        }
    }

    private Cursor start(Context context)
    {
        String resume = Optional.ofNullable(context.header(LAST_EVENT_ID)).or(() -> Optional.ofNullable(context.queryParam("cursor")))
                .map(String::strip)
                .filter(text -> !text.isEmpty())
                .orElse(null);
        if (resume != null) {
            try {
                return Cursor.decode(resume);
            }
            catch (VigieException e) {
                throw new VigieException(ErrorCode.EVENT_CURSOR_INVALID, "live feed: " + LAST_EVENT_ID + " '" + resume + "' is not a cursor this console issued", e);
            }
        }
        Cursor end = log.end();
        Optional<String> name = singlePosition(end);
        if (name.isEmpty()) {
            return end;
        }
        return end.with(name.get(), Math.max(0, end.positions().get(name.get()) - RECENT_EVENTS));
    }

    private void send(OutputStream out, EventBatch batch, AuthenticatedUser user)
            throws IOException
    {
        // A log with one position (the store's sequence) gives every message its own resumable id.
        Optional<String> name = singlePosition(batch.next());
        boolean pending = false;
        for (int index = 0; index < batch.events().size(); index++) {
            Event event = batch.events().get(index);
            Optional<String> data = summaries.summary(event, user);
            boolean last = index == batch.events().size() - 1;
            if (data.isEmpty()) {
                pending = true;
                continue;
            }
            Optional<Cursor> after = name.map(position -> batch.next().with(position, event.sequence())).or(() -> last ? Optional.of(batch.next()) : Optional.empty());
            write(out, "event: object\n" + after.map(cursor -> "id: " + cursor.encode() + "\n").orElse("") + "data: " + data.get() + "\n\n");
            pending = after.isEmpty();
        }
        if (pending) {
            write(out, "event: cursor\nid: " + batch.next().encode() + "\ndata: {}\n\n");
        }
    }

    private static Optional<String> singlePosition(Cursor cursor)
    {
        Map<String, Long> positions = cursor.positions();
        return positions.size() == 1 ? Optional.of(positions.keySet().iterator().next()) : Optional.empty();
    }

    private static void write(OutputStream out, String text)
            throws IOException
    {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
