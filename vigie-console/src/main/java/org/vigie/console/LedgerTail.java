package org.vigie.console;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.exchange.audit.AuditEntry;
import org.vigie.exchange.audit.AuditLedger;
import org.vigie.exchange.audit.LedgerAnchor;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static java.util.Objects.requireNonNull;

/**
 * The exchange's audit ledger as every live feed of this node reads it: one thread reads new entries once,
 * when the ledger announces an append committed in this process ({@link AuditLedger#addAppendListener}) and
 * every {@code pollInterval} for entries other processes appended (other replicas, {@code vigie release}),
 * keeps the newest ones and wakes every open feed, which takes what follows its own position from here.
 * A feed further behind than what is kept (one resuming from an old id) reads its way up to it itself.
 *
 * <p>Positions follow the rule feeds always used: an entry's position is its sequence, or one more than the
 * previous position if the sequence does not move forward (a tampered ledger), so a position never repeats.
 */
final class LedgerTail
        implements AutoCloseable
{
    static final int READ_BATCH = 100;
    // Enough for a new feed's recent entries and for feeds a few releases behind; bounded in ids as well,
    // since one release entry names every object it released.
    static final int KEPT_ENTRIES = 1_000;
    static final int KEPT_OBJECT_IDS = 200_000;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(LedgerTail.class);

    /** One ledger entry at its position. */
    record Entry(long position, AuditEntry entry)
    {
        Entry
        {
            requireNonNull(entry, "entry is null");
        }
    }

    private final AuditLedger ledger;
    private final Duration pollInterval;
    private final Set<Runnable> feeds = ConcurrentHashMap.newKeySet();
    private final AtomicLong reads = new AtomicLong();
    private final Runnable wake = this::wake;
    private final Thread thread;
    private final Object monitor = new Object();
    // Guarded by monitor.
    private boolean woken;
    private volatile boolean closed;
    // Guarded by this: the kept entries, the position read up to (-1 before the first read), their ids.
    private final ArrayDeque<Entry> kept = new ArrayDeque<>();
    private long end = -1;
    private long keptObjectIds;

    LedgerTail(AuditLedger ledger, Duration pollInterval)
    {
        this.ledger = requireNonNull(ledger, "ledger is null");
        this.pollInterval = requireNonNull(pollInterval, "pollInterval is null");
        this.thread = new Thread(this::run, "vigie-console-ledger-tail");
        thread.setDaemon(true);
        ledger.addAppendListener(wake);
        thread.start();
    }

    /** Calls {@code feed} (which must return quickly) each time new entries are kept. */
    void register(Runnable feed)
    {
        feeds.add(requireNonNull(feed, "feed is null"));
    }

    void unregister(Runnable feed)
    {
        feeds.remove(feed);
    }

    /** Reads the ledger now (an append here was announced, or a test asks). */
    void wake()
    {
        synchronized (monitor) {
            woken = true;
            monitor.notifyAll();
        }
    }

    /** The position read up to: the ledger's head as last seen (read now if the tail has not read yet). */
    long end()
    {
        synchronized (this) {
            if (end >= 0) {
                return end;
            }
        }
        reads.incrementAndGet();
        return ledger.head().map(LedgerAnchor::sequence).orElse(0L);
    }

    /**
     * The kept entries after {@code position}, in order (none when the feed is level with the tail); empty when
     * entries after it are no longer (or not yet) kept, and the feed must {@link #read} them.
     */
    synchronized Optional<List<Entry>> after(long position)
    {
        if (end >= 0 && position >= end) {
            return Optional.of(List.of());
        }
        if (kept.isEmpty() || kept.peekFirst().position() > position + 1) {
            return Optional.empty();
        }
        List<Entry> entries = new ArrayList<>();
        for (Entry entry : kept) {
            if (entry.position() > position) {
                entries.add(entry);
            }
        }
        return Optional.of(entries);
    }

    /** Up to {@code limit} entries after {@code position}, read from the ledger. */
    List<Entry> read(long position, int limit)
    {
        reads.incrementAndGet();
        List<Entry> entries = new ArrayList<>();
        long previous = position;
        for (AuditEntry entry : ledger.read(position + 1, limit)) {
            previous = Math.max(previous + 1, entry.sequence());
            entries.add(new Entry(previous, entry));
        }
        return entries;
    }

    /** Queries of the ledger made for the live feeds so far (the tail's and those of feeds reading their way up). */
    long reads()
    {
        return reads.get();
    }

    @Override
    public void close()
    {
        closed = true;
        ledger.removeAppendListener(wake);
        wake();
        try {
            // Woken above, the thread ends after the read in progress, if any.
            thread.join(CLOSE_WAIT.toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run()
    {
        while (!closed) {
            try {
                catchUp();
            }
            catch (RuntimeException e) {
                // The database is away: feeds keep their positions, and the next round reads again.
                LOG.warn("live feed: cannot read the exchange's audit ledger: {}", e.getMessage());
            }
            synchronized (monitor) {
                long deadline = System.nanoTime() + pollInterval.toNanos();
                while (!woken && !closed) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    try {
                        monitor.wait(Math.max(1, left / 1_000_000));
                    }
                    catch (InterruptedException e) {
                        return;
                    }
                }
                woken = false;
            }
        }
    }

    private void catchUp()
    {
        long from;
        synchronized (this) {
            from = end;
        }
        if (from < 0) {
            // First read: keep the last entries, so that new feeds (which start a few entries back) need no read of their own.
            long head = end();
            from = Math.max(0, head - FeedStream.RECENT_LEDGER_ENTRIES);
        }
        boolean found = false;
        while (true) {
            List<Entry> entries = read(from, READ_BATCH);
            synchronized (this) {
                for (Entry entry : entries) {
                    keep(entry);
                }
                end = entries.isEmpty() ? Math.max(end, from) : entries.get(entries.size() - 1).position();
                from = end;
            }
            found |= !entries.isEmpty();
            if (entries.size() < READ_BATCH) {
                break;
            }
        }
        if (found) {
            feeds.forEach(Runnable::run);
        }
    }

    private void keep(Entry entry)
    {
        kept.addLast(entry);
        keptObjectIds += entry.entry().objectIds().size();
        while (kept.size() > 1 && (kept.size() > KEPT_ENTRIES || keptObjectIds > KEPT_OBJECT_IDS)) {
            keptObjectIds -= kept.removeFirst().entry().objectIds().size();
        }
    }
}
