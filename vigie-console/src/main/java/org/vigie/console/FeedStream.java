package org.vigie.console;

import io.javalin.http.Context;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.audit.AuditEntry;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.util.Objects.requireNonNull;

/**
 * The live feed as server-sent events, from two sources behind one resumable cursor: the store's
 * {@link EventLog} (objects stored and received, committed in the same transaction as each change) and,
 * once the exchange is wired, the exchange's audit ledger (releases to partners and recalls, written in
 * the release's transaction and numbered in commit order). Both are shared by every replica of a node on
 * one database. Every message carries an SSE {@code id} naming the position just after it: the log's
 * positions and the ledger's (named {@value #LEDGER_POSITION}). Over a log of one position (the store's
 * sequence) the id is that {@link Cursor}'s text; over a log of many (Kafka: a position per collection) it is
 * a short id relative to a base saved in the console's database ({@link FeedPositions}), bounded whatever the
 * number of collections. A client that reconnects with {@code Last-Event-ID} (or {@code ?cursor=}) resumes
 * each source exactly there, on this or any other replica, with no gap and no duplicate; the two sources
 * interleave in arrival order. A short id whose base has expired (or is unknown) starts the stream from now,
 * after an {@code event: notice} saying that events may have been missed. Without one, the
 * stream starts {@value #RECENT_EVENTS} log events and {@value #RECENT_LEDGER_ENTRIES} ledger entries
 * back, so a console opening its feed sees what just happened; a cursor without a ledger position (issued
 * before the exchange was wired) takes the ledger from its end.
 *
 * <p>Messages: {@code event: object} with the summary JSON of a version the user may see,
 * {@code event: exchange} with a release or recall and the objects of it the user may see (see
 * {@link ReleaseFeed}), {@code event: notice} (data {@code {"message": ...}}) telling the user something
 * about the stream itself, and {@code event: cursor} (data {@code {}}) moving the client's position past
 * what it may not see, so that a resumption never reads it again. The ledger is read once for every stream
 * of the node by its {@link LedgerTail}, which wakes the streams when it finds new entries; each stream
 * filters them for its user. A comment line every {@code heartbeat} keeps proxies from closing an idle stream. Each stream holds one
 * server thread and one log subscription (fine for analysts' consoles, not for thousands of clients); a
 * slow client slows only its own subscription.
 */
final class FeedStream
{
    static final int RECENT_EVENTS = 200;
    static final int RECENT_LEDGER_ENTRIES = 50;
    static final String LAST_EVENT_ID = "Last-Event-ID";
    static final String LEDGER_POSITION = "exchange.ledger";
    private static final int LEDGER_BATCH = LedgerTail.READ_BATCH;
    private static final int QUEUE_CAPACITY = 16;
    private static final long OFFER_MILLISECONDS = 100;

    // Put in a stream's queue to end it, or to make it take the ledger's new entries now.
    private static final Object END = new Object();
    private static final Object WAKE = new Object();

    /** Turns a log event into the JSON the user sees, or empty when the user may not see it. */
    @FunctionalInterface
    interface Summaries
    {
        Optional<String> summary(Event event, AuthenticatedUser user);
    }

    /** What a user may see of one entry of the exchange's ledger. */
    @FunctionalInterface
    interface Ledger
    {
        Optional<String> summary(AuditEntry entry, AuthenticatedUser user);
    }

    private final EventLog log;
    private final Summaries summaries;
    private final Ledger ledger;
    private final FeedPositions positions;
    private final Duration heartbeat;
    private final Set<BlockingQueue<Object>> open = ConcurrentHashMap.newKeySet();
    // The node's one reader of the exchange's ledger, once the exchange is wired.
    private volatile Optional<LedgerTail> tail = Optional.empty();
    private volatile boolean closed;

    FeedStream(EventLog log, Summaries summaries, Ledger ledger, FeedPositions positions, Duration heartbeat)
    {
        this.log = requireNonNull(log, "log is null");
        this.summaries = requireNonNull(summaries, "summaries is null");
        this.ledger = requireNonNull(ledger, "ledger is null");
        this.positions = requireNonNull(positions, "positions is null");
        this.heartbeat = requireNonNull(heartbeat, "heartbeat is null");
    }

    /** Streams opened from now on follow the exchange's ledger through {@code tail}. */
    void attach(LedgerTail tail)
    {
        this.tail = Optional.of(requireNonNull(tail, "tail is null"));
    }

    void stream(Context context, AuthenticatedUser user)
            throws IOException
    {
        Resumption resumption = resume(context);
        Optional<Cursor> resume = resumption.cursor();
        Optional<LedgerTail> audit = tail;
        Cursor logStart = resumption.expired() ? log.end() : resume.map(FeedStream::logPart).orElseGet(this::recentLogStart);
        Position position = new Position(logStart, ledgerStart(resume, audit, resumption.expired()), resumption.base());
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
        AtomicBoolean ended = new AtomicBoolean();
        open.add(queue);
        // A full queue wakes its stream anyway.
        Runnable wake = () -> queue.offer(WAKE);
        audit.ifPresent(reader -> reader.register(wake));
        // The subscription's own thread waits while this stream is behind, so nothing is dropped or skipped.
        Subscription subscription = log.subscribe(position.log, batch -> {
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
            Output out = new Output(context.res().getOutputStream());
            out.write(": connected\n\n");
            if (resumption.expired()) {
                out.write("event: notice\ndata: {\"message\":\"The live feed could not resume where it stopped (its position is older than "
                        + FeedPositions.RETENTION.toHours() + " hours or unknown): it starts from now, and events in between are not shown.\"}\n\n");
            }
            out.write("event: cursor\nid: " + position.encode() + "\ndata: {}\n\n");
            if (audit.isPresent()) {
                sendLedger(out, audit.get(), user, position);
            }
            while (!closed) {
                Object next = queue.poll(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
                if (next == END) {
                    return;
                }
                if (next instanceof EventBatch batch) {
                    send(out, batch, user, position);
                }
                else if (next == null && subscription.failure().isPresent()) {
                    // The log failed (database down): end the stream; the console reconnects from its last id.
                    out.write("event: failure\ndata: {}\n\n");
                    return;
                }
                if (audit.isPresent()) {
                    sendLedger(out, audit.get(), user, position);
                }
                if (System.nanoTime() - out.lastWrite >= heartbeat.toNanos()) {
                    out.write(": keep-alive\n\n");
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
            audit.ifPresent(reader -> reader.unregister(wake));
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

    /** Where a client asked to resume: nowhere, a cursor (with the base its id was built on), or a base that has expired. */
    private record Resumption(Optional<Cursor> cursor, Optional<FeedPositions.Base> base, boolean expired)
    {
        Resumption
        {
            requireNonNull(cursor, "cursor is null");
            requireNonNull(base, "base is null");
        }
    }

    private Resumption resume(Context context)
    {
        String resume = Optional.ofNullable(context.header(LAST_EVENT_ID)).or(() -> Optional.ofNullable(context.queryParam("cursor")))
                .map(String::strip)
                .filter(text -> !text.isEmpty())
                .orElse(null);
        if (resume == null) {
            return new Resumption(Optional.empty(), Optional.empty(), false);
        }
        Cursor cursor;
        Optional<FeedPositions.Base> base = Optional.empty();
        if (FeedPositions.isCompact(resume)) {
            FeedPositions.Compact compact = FeedPositions.parse(resume);
            base = positions.find(compact.token());
            if (base.isEmpty()) {
                return new Resumption(Optional.empty(), Optional.empty(), true);
            }
            cursor = FeedPositions.apply(base.get(), compact, resume);
        }
        else {
            try {
                cursor = Cursor.decode(resume);
            }
            catch (VigieException e) {
                throw new VigieException(ErrorCode.EVENT_CURSOR_INVALID, "live feed: " + LAST_EVENT_ID + " '" + resume + "' is not a cursor this console issued", e);
            }
        }
        if (cursor.position(LEDGER_POSITION).orElse(0) < 0) {
            throw new VigieException(ErrorCode.EVENT_CURSOR_INVALID, "live feed: " + LAST_EVENT_ID + " '" + resume + "' has a negative ledger position");
        }
        return new Resumption(Optional.of(cursor), base, false);
    }

    private static Cursor logPart(Cursor cursor)
    {
        Map<String, Long> positions = new TreeMap<>(cursor.positions());
        positions.remove(LEDGER_POSITION);
        return Cursor.of(positions);
    }

    private static OptionalLong ledgerStart(Optional<Cursor> resume, Optional<LedgerTail> audit, boolean fromNow)
    {
        OptionalLong resumed = resume.map(cursor -> cursor.position(LEDGER_POSITION)).orElse(OptionalLong.empty());
        if (resumed.isPresent() || audit.isEmpty()) {
            return resumed;
        }
        long head = audit.get().end();
        return OptionalLong.of(resume.isPresent() || fromNow ? head : Math.max(0, head - RECENT_LEDGER_ENTRIES));
    }

    private Cursor recentLogStart()
    {
        Cursor end = log.end();
        Optional<String> name = singlePosition(end);
        if (name.isEmpty()) {
            return end;
        }
        return end.with(name.get(), Math.max(0, end.positions().get(name.get()) - RECENT_EVENTS));
    }

    private void send(Output out, EventBatch batch, AuthenticatedUser user, Position position)
            throws IOException
    {
        // A log with one position (the store's sequence) gives every message its own resumable id.
        Optional<String> name = singlePosition(batch.next());
        boolean pending = false;
        for (int index = 0; index < batch.events().size(); index++) {
            Event event = batch.events().get(index);
            Optional<String> data = summaries.summary(event, user);
            boolean last = index == batch.events().size() - 1;
            boolean resumable = name.isPresent() || last;
            if (resumable) {
                position.log = name.map(single -> batch.next().with(single, event.sequence())).orElse(batch.next());
            }
            if (data.isEmpty()) {
                pending = true;
                continue;
            }
            out.write("event: object\n" + (resumable ? "id: " + position.encode() + "\n" : "") + "data: " + data.get() + "\n\n");
            pending = !resumable;
        }
        position.log = batch.next();
        if (pending) {
            out.write("event: cursor\nid: " + position.encode() + "\ndata: {}\n\n");
        }
    }

    private void sendLedger(Output out, LedgerTail audit, AuthenticatedUser user, Position position)
            throws IOException
    {
        while (true) {
            long from = position.ledger.orElse(0);
            // What the tail keeps costs no query; a stream further behind reads its way up to it.
            Optional<List<LedgerTail.Entry>> kept = audit.after(from);
            List<LedgerTail.Entry> entries = kept.orElseGet(() -> audit.read(from, LEDGER_BATCH));
            boolean pending = false;
            for (LedgerTail.Entry entry : entries) {
                position.ledger = OptionalLong.of(entry.position());
                Optional<String> data = ledger.summary(entry.entry(), user);
                if (data.isEmpty()) {
                    pending = true;
                    continue;
                }
                out.write("event: exchange\nid: " + position.encode() + "\ndata: " + data.get() + "\n\n");
                pending = false;
            }
            if (pending) {
                out.write("event: cursor\nid: " + position.encode() + "\ndata: {}\n\n");
            }
            if (kept.isPresent() || entries.size() < LEDGER_BATCH) {
                return;
            }
        }
    }

    private static Optional<String> singlePosition(Cursor cursor)
    {
        Map<String, Long> positions = cursor.positions();
        return positions.size() == 1 ? Optional.of(positions.keySet().iterator().next()) : Optional.empty();
    }

    /** Where one stream has got to in both sources; what its messages' ids encode. */
    private final class Position
    {
        Cursor log;
        OptionalLong ledger;
        // The base of this stream's short ids: the one the client resumed from, then each one the stream saves.
        Optional<FeedPositions.Base> base;

        Position(Cursor log, OptionalLong ledger, Optional<FeedPositions.Base> base)
        {
            this.log = log;
            this.ledger = ledger;
            this.base = base;
        }

        String encode()
        {
            Cursor whole = ledger.isPresent() ? log.with(LEDGER_POSITION, ledger.getAsLong()) : log;
            // One position (the store's sequence): the cursor's own text is short already, and needs no database.
            if (log.positions().size() <= 1) {
                return whole.encode();
            }
            if (base.isPresent() && !positions.aging(base.get())) {
                Optional<String> id = FeedPositions.encode(base.get(), whole);
                if (id.isPresent()) {
                    return id.get();
                }
            }
            base = Optional.of(positions.save(whole));
            return FeedPositions.encode(base.get(), whole).orElseThrow();
        }
    }

    /** The stream's output, flushed after each message, remembering when it last wrote (for the heartbeat). */
    private static final class Output
    {
        private final OutputStream out;
        long lastWrite = System.nanoTime();

        Output(OutputStream out)
        {
            this.out = out;
        }

        void write(String text)
                throws IOException
        {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
            lastWrite = System.nanoTime();
        }
    }
}
