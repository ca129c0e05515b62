package org.vigie.console;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.store.CollectionInfo;
import org.vigie.store.ObjectPage;
import org.vigie.store.ObjectQuery;
import org.vigie.store.ObjectStore;
import org.vigie.store.StoredObject;
import org.vigie.store.events.Cursor;
import org.vigie.store.events.Event;
import org.vigie.store.events.EventBatch;
import org.vigie.store.events.EventLog;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * Keeps the search index current, on its own thread and outside every store transaction: on the first start
 * (no position yet) it notes the end of the store's event log, reads every collection's latest versions into
 * the index page by page (resumable: the page reached is saved), then follows the log from the noted end,
 * indexing the latest version of each object an event names (a new version replaces the entry, a deleted
 * object's entry goes): as this process has just written it ({@link RecentObjects}) when the events allow,
 * else read from the store. Each step is one transaction of the index database that also saves the position,
 * so a restart resumes where the last step committed, without re-indexing. Steps lock the one state row:
 * replicas sharing a PostgreSQL database take turns on one index. The position is also saved, at most every
 * {@link #MIRROR_INTERVAL_NANOS} nanoseconds, as the store log's named consumer {@value #CONSUMER}, where the
 * event-log lag metric reads it.
 */
final class SearchIndexer
        implements AutoCloseable
{
    static final String CONSUMER = "console-search";
    // Per transaction: FTS5 writes its pending words as a new segment at each commit, so fewer, larger commits merge less.
    private static final int EVENT_BATCH = 2_000;
    private static final int BUILD_PAGE = 2_000;
    private static final int READ_IDS = 500;
    // How long one indexing transaction may keep reading pages or events before it commits (catch-up only:
    // a step that finds nothing more commits at once).
    private static final long TRANSACTION_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long IDLE_POLL_MILLISECONDS = 1_000;
    // Once rung by the log, how long the indexer lets more events gather before its next transaction, unless a
    // reader asks for the index to be current (wake()): each transaction costs a word-index segment, a commit and
    // a rewrite of every index page it touched, so one per POST request of 1,000 objects cost about a fifth more
    // CPU per object than one per 20,000 (SearchWriterBenchmark, alternating rounds).
    private static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long MIRROR_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long RETRY_MILLISECONDS = 5_000;

    private static final Logger LOG = LoggerFactory.getLogger(SearchIndexer.class);

    private final ObjectStore store;
    private final EventLog log;
    private final SearchTables tables;
    private final RecentObjects recent;
    private final Consumer<IndexEntry> onIndexed;
    private final Object progress = new Object();
    private final Semaphore doorbell = new Semaphore(0);
    // Set by wake(): a reader waits for the index, so no gathering.
    private final AtomicBoolean urgent = new AtomicBoolean();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong taken = new AtomicLong();
    private volatile boolean closed;
    private volatile long buildRemaining = -1;
    private volatile Thread thread;
    private long lastMirror = System.nanoTime() - MIRROR_INTERVAL_NANOS;
    private Optional<Cursor> mirrored = Optional.empty();

    SearchIndexer(ObjectStore store, SearchTables tables, RecentObjects recent, Consumer<IndexEntry> onIndexed)
    {
        this.store = requireNonNull(store, "store is null");
        this.log = store.events();
        this.tables = requireNonNull(tables, "tables is null");
        this.recent = requireNonNull(recent, "recent is null");
        this.onIndexed = requireNonNull(onIndexed, "onIndexed is null");
    }

    void start()
    {
        // No subscription to the log, which would read every event only to ring: this process's writes ring
        // (ring(), from SearchIndex), and what other processes write (an import, a replica) is found by the idle
        // poll of the log, at most IDLE_POLL_MILLISECONDS later, as a subscription would have found it.
        Thread started = new Thread(this::run, "vigie-console-search-indexer");
        started.setDaemon(true);
        thread = started;
        started.start();
    }

    /** Tells of a write, as the log's own ring does: a step follows, after gathering. */
    void ring()
    {
        doorbell.release();
    }

    /** Asks for a step now rather than at the next idle poll or after gathering events. */
    void wake()
    {
        urgent.set(true);
        doorbell.release();
    }

    /** Versions taken from those this process had just written instead of read from the store, since it started. */
    long taken()
    {
        return taken.get();
    }

    /** Objects (versions read) written to the index by this process since it started. */
    long written()
    {
        return written.get();
    }

    /**
     * About how many objects the index lacks: events committed after its position, plus, while the first
     * build runs, the versions of the collections it has not read yet.
     */
    long behind()
    {
        SearchTables.State state = tables.state();
        if (state.cursor().isEmpty()) {
            return Math.max(buildRemaining, estimateBuild(Optional.empty()));
        }
        long lag = lag(log.end(), state.cursor().get());
        // At least one while the committed state is not built: the build counts its last page down before that
        // page's transaction commits, and a search must not take the index as current before it can see them.
        return state.built() ? lag : lag + Math.max(1, buildRemaining < 0 ? estimateBuild(state.buildCollection()) : buildRemaining);
    }

    /** Waits for the next committed step, at most {@code milliseconds}. */
    void awaitProgress(long milliseconds)
            throws InterruptedException
    {
        synchronized (progress) {
            progress.wait(Math.max(1, milliseconds));
        }
    }

    @Override
    public void close()
    {
        closed = true;
        doorbell.release();
        Thread running = thread;
        if (running != null) {
            try {
                running.join(10_000);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run()
    {
        while (!closed) {
            try {
                // A wake() from here on asks for another step at once.
                urgent.set(false);
                boolean more = step();
                synchronized (progress) {
                    progress.notifyAll();
                }
                if (!more) {
                    mirror(true);
                    if (doorbell.tryAcquire(IDLE_POLL_MILLISECONDS, TimeUnit.MILLISECONDS)) {
                        gather();
                    }
                    doorbell.drainPermits();
                }
            }
            catch (InterruptedException e) {
                return;
            }
            catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                // The store or the index database is unreachable for now: searches answer from what is indexed, and say how far behind it is.
                LOG.warn("console search index: indexing failed, retrying in {} ms", RETRY_MILLISECONDS, e);
                try {
                    doorbell.tryAcquire(RETRY_MILLISECONDS, TimeUnit.MILLISECONDS);
                }
                catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    // Waits up to GATHER_NANOS after the log rang, while writers commit more, unless a reader wakes the indexer.
    private void gather()
            throws InterruptedException
    {
        long deadline = System.nanoTime() + GATHER_NANOS;
        while (!urgent.get() && !closed) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return;
            }
            // Each commit of the store rings: drained, so that the wait lasts until the next ring, not spins.
            doorbell.drainPermits();
            doorbell.tryAcquire(remaining, TimeUnit.NANOSECONDS);
        }
    }

    /** One transaction of the index; false when there was nothing to do. */
    private boolean step()
    {
        // Idle: nothing after the committed position. Checked without the state row's lock, which is a write.
        SearchTables.State committed = tables.state();
        if (committed.built() && committed.cursor().isPresent() && log.poll(committed.cursor().get(), 1).isEmpty()) {
            return false;
        }
        try (Connection connection = tables.database().connection()) {
            connection.setAutoCommit(false);
            try (SearchTables.Writer writer = tables.writer(connection)) {
                SearchTables.State state = writer.lockState();
                boolean more = true;
                SearchTables.State next;
                if (state.cursor().isEmpty()) {
                    // First start: events after this end are replayed once the build has read what came before.
                    Optional<String> first = collectionIds().stream().findFirst();
                    next = new SearchTables.State(Optional.of(log.end()), first.isEmpty(), first, Optional.empty());
                    buildRemaining = estimateBuild(first);
                    LOG.info("console search index: building from the store's objects (about {} versions) in the background", buildRemaining);
                }
                else if (!state.built()) {
                    // Several pages per transaction while catching up: each commit flushes the word index's
                    // pending segment and merges, which cost as much as the inserts when done every page.
                    long deadline = System.nanoTime() + TRANSACTION_NANOS;
                    next = build(writer, state);
                    while (!next.built() && System.nanoTime() < deadline) {
                        next = build(writer, next);
                    }
                }
                else {
                    long deadline = System.nanoTime() + TRANSACTION_NANOS;
                    Cursor position = state.cursor().get();
                    EventBatch batch;
                    do {
                        batch = log.poll(position, EVENT_BATCH);
                        apply(writer, batch);
                        position = batch.next();
                    }
                    while (!batch.isEmpty() && System.nanoTime() < deadline);
                    more = !batch.isEmpty();
                    next = new SearchTables.State(Optional.of(position), true, Optional.empty(), Optional.empty());
                }
                writer.finish();
                if (!next.equals(state)) {
                    writer.saveState(next);
                }
                connection.commit();
                if (next.built() && !state.built()) {
                    buildRemaining = 0;
                    LOG.info("console search index: build done, following the event log");
                }
                return more;
            }
            catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
        catch (SQLException e) {
            throw tables.failure("index", e);
        }
    }

    private SearchTables.State build(SearchTables.Writer writer, SearchTables.State state)
            throws SQLException
    {
        String collectionId = state.buildCollection().orElseThrow();
        if (buildRemaining < 0) {
            buildRemaining = estimateBuild(state.buildCollection());
        }
        ObjectQuery query = ObjectQuery.all(BUILD_PAGE);
        if (state.buildNext().isPresent()) {
            query = query.withNext(state.buildNext().get());
        }
        ObjectPage page;
        try {
            page = store.findObjects(collectionId, query);
        }
        catch (VigieException e) {
            if (e.errorCode() != ErrorCode.COLLECTION_NOT_FOUND) {
                throw e;
            }
            page = new ObjectPage(List.of(), false, Optional.empty());
        }
        writer.prefetch(collectionId, page.objects().stream().map(stored -> stored.object().id()).toList());
        for (StoredObject stored : page.objects()) {
            index(writer, collectionId, stored);
        }
        buildRemaining = Math.max(0, buildRemaining - page.objects().size());
        if (page.more()) {
            return new SearchTables.State(state.cursor(), false, state.buildCollection(), page.next());
        }
        Optional<String> following = collectionIds().stream().filter(id -> id.compareTo(collectionId) > 0).findFirst();
        return new SearchTables.State(state.cursor(), following.isEmpty(), following, Optional.empty());
    }

    private void apply(SearchTables.Writer writer, EventBatch batch)
            throws SQLException
    {
        // The objects each collection's events name, in log order, with what the events say of each; each object
        // is indexed once, as it is now.
        Map<String, Map<String, Touched>> touched = new TreeMap<>();
        for (Event event : batch.events()) {
            touched.computeIfAbsent(event.collectionId(), key -> new LinkedHashMap<>()).computeIfAbsent(event.objectId(), key -> new Touched()).add(event);
        }
        for (Map.Entry<String, Map<String, Touched>> collection : touched.entrySet()) {
            String collectionId = collection.getKey();
            List<String> ids = new ArrayList<>(collection.getValue().keySet());
            for (int from = 0; from < ids.size(); from += READ_IDS) {
                List<String> chunk = ids.subList(from, Math.min(ids.size(), from + READ_IDS));
                writer.prefetch(collectionId, chunk);
                // Versions this process has just written need no reading back: when the events only added versions
                // and the newest of them is the one held, the object's latest is that one or the entry's, if newer.
                List<String> unread = new ArrayList<>();
                for (String objectId : chunk) {
                    Touched events = collection.getValue().get(objectId);
                    Optional<StoredObject> held = recent.take(collectionId, objectId).filter(stored -> !events.deleted && events.newest(stored));
                    if (held.isEmpty()) {
                        unread.add(objectId);
                    }
                    else if (!writer.holdsNewer(collectionId, objectId, events.newestVersion)) {
                        index(writer, collectionId, held.get());
                        taken.incrementAndGet();
                    }
                }
                Map<String, StoredObject> latest = unread.isEmpty() ? Map.of() : latest(collectionId, unread);
                for (String objectId : unread) {
                    StoredObject stored = latest.get(objectId);
                    if (stored == null) {
                        writer.remove(collectionId, objectId);
                    }
                    else {
                        index(writer, collectionId, stored);
                    }
                }
            }
        }
    }

    /** What one batch's events say of one object: whether a version went, and the newest version added. */
    private static final class Touched
    {
        private boolean deleted;
        private long newestVersion = Long.MIN_VALUE;
        private long newestDateAdded = Long.MIN_VALUE;

        void add(Event event)
        {
            switch (event.kind()) {
                case DELETED -> deleted = true;
                case ADDED -> {
                    // As the index entry holds it: an unversioned object's version is its date added.
                    long version = SearchTables.micros(event.version().orElse(event.dateAdded()));
                    long dateAdded = SearchTables.micros(event.dateAdded());
                    if (version > newestVersion || version == newestVersion && dateAdded > newestDateAdded) {
                        newestVersion = version;
                        newestDateAdded = dateAdded;
                    }
                }
            }
        }

        boolean newest(StoredObject stored)
        {
            return SearchTables.micros(stored.object().version().orElse(stored.dateAdded())) == newestVersion && SearchTables.micros(stored.dateAdded()) == newestDateAdded;
        }
    }

    private Map<String, StoredObject> latest(String collectionId, List<String> objectIds)
    {
        Map<String, StoredObject> latest = new HashMap<>();
        ObjectQuery query = ObjectQuery.all(objectIds.size()).withIds(objectIds);
        try {
            while (true) {
                ObjectPage page = store.findObjects(collectionId, query);
                page.objects().forEach(stored -> latest.put(stored.object().id(), stored));
                if (!page.more()) {
                    return latest;
                }
                query = query.withNext(page.next().orElseThrow());
            }
        }
        catch (VigieException e) {
            if (e.errorCode() == ErrorCode.COLLECTION_NOT_FOUND) {
                return latest;
            }
            throw e;
        }
    }

    private void index(SearchTables.Writer writer, String collectionId, StoredObject stored)
            throws SQLException
    {
        Optional<SearchIndex.Indexed> indexed = SearchIndex.indexed(collectionId, stored.object(), stored.dateAdded());
        if (indexed.isPresent()) {
            writer.replace(indexed.get());
            written.incrementAndGet();
            onIndexed.accept(indexed.get().entry());
        }
    }

    // Saves the position as the log's named consumer: when caught up, and at most every few seconds, since on
    // SQLite it is a write to the store's file.
    private void mirror(boolean idle)
    {
        long now = System.nanoTime();
        if (!idle || now - lastMirror < MIRROR_INTERVAL_NANOS) {
            return;
        }
        Optional<Cursor> cursor = tables.state().cursor();
        if (cursor.isPresent() && !cursor.equals(mirrored)) {
            log.saveCursor(CONSUMER, cursor.get());
            mirrored = cursor;
        }
        lastMirror = now;
    }

    private List<String> collectionIds()
    {
        return store.listCollections().stream().map(CollectionInfo::id).sorted().toList();
    }

    // The versions of the collections from the given one on (all when empty): an upper bound of what the build reads.
    private long estimateBuild(Optional<String> from)
    {
        long total = 0;
        for (String collectionId : collectionIds()) {
            if (from.isEmpty() || collectionId.compareTo(from.get()) >= 0) {
                total += store.countObjects(collectionId);
            }
        }
        return total;
    }

    /** Events between two cursors of one log: per named position, how far the end is ahead. */
    static long lag(Cursor end, Cursor position)
    {
        long lag = 0;
        for (Map.Entry<String, Long> named : end.positions().entrySet()) {
            lag += Math.max(0, named.getValue() - position.position(named.getKey()).orElse(0));
        }
        return lag;
    }
}
