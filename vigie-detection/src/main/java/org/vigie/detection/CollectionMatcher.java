package org.vigie.detection;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.error.VigieException;
import org.vigie.pattern.match.BulkMatcher;
import org.vigie.pattern.match.MatcherOptions;
import org.vigie.stix.StixObject;
import org.vigie.store.ObjectPage;
import org.vigie.store.ObjectQuery;
import org.vigie.store.ObjectStore;
import org.vigie.store.StoredObject;
import org.vigie.store.VersionFilter;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import static java.util.Objects.requireNonNull;

/**
 * The live matcher of one indicator collection and how far the store has been read: every indicator version
 * added after {@link #readUpTo} is still to be applied. Dates added only grow, so this cursor never skips a
 * version; versions are applied in any order because the matcher keeps only the newest of each id.
 */
final class CollectionMatcher
{
    private static final Logger LOG = LoggerFactory.getLogger(CollectionMatcher.class);
    static final int PAGE_SIZE = 1_000;
    /** Invalid indicators named in one refresh result; the rest are only counted (and logged). */
    static final int MAXIMUM_ERRORS_REPORTED = 20;

    private final String collectionId;
    private final ObjectStore store;
    private final BulkMatcher matcher;
    // Serialises refreshes, so that the cursor moves forward only after its page was applied.
    private final ReentrantLock refreshLock = new ReentrantLock();
    private volatile Optional<Instant> readUpTo = Optional.empty();
    private final AtomicLong invalidIndicators = new AtomicLong();

    CollectionMatcher(String collectionId, ObjectStore store, InstantSource clock, MatcherOptions options)
    {
        this.collectionId = requireNonNull(collectionId, "collectionId is null");
        this.store = requireNonNull(store, "store is null");
        this.matcher = BulkMatcher.create(clock, options);
    }

    String collectionId()
    {
        return collectionId;
    }

    BulkMatcher matcher()
    {
        return matcher;
    }

    Optional<Instant> readUpTo()
    {
        return readUpTo;
    }

    long invalidIndicators()
    {
        return invalidIndicators.get();
    }

    /** Applies every indicator version added since the last refresh (all of them the first time), then drops expired ones. */
    RefreshResult refresh()
    {
        refreshLock.lock();
        try {
            Tally tally = new Tally();
            while (true) {
                ObjectQuery query = new ObjectQuery(readUpTo, PAGE_SIZE, Optional.empty(), List.of(), List.of("indicator"), VersionFilter.ALL, List.of());
                ObjectPage page = store.findObjects(collectionId, query);
                for (StoredObject stored : page.objects()) {
                    apply(stored.object(), tally);
                }
                if (page.lastDateAdded().isPresent()) {
                    readUpTo = page.lastDateAdded();
                }
                if (!page.more()) {
                    break;
                }
            }
            tally.expired = matcher.removeExpired();
            return tally.result();
        }
        finally {
            refreshLock.unlock();
        }
    }

    /** Applies objects just added to the collection, without moving the cursor: the next refresh sees them again and ignores them. */
    RefreshResult apply(List<StixObject> objects)
    {
        // Under the refresh lock, so that a deletion's re-read (below) never interleaves with an add of the same indicator.
        refreshLock.lock();
        try {
            Tally tally = new Tally();
            for (StixObject object : objects) {
                apply(object, tally);
            }
            return tally.result();
        }
        finally {
            refreshLock.unlock();
        }
    }

    /**
     * Re-reads an indicator some or all of whose versions were deleted from the collection: with no version left it
     * leaves the matcher; otherwise the latest remaining version (a revocation included) replaces whatever was held,
     * even when that was a newer version, now deleted. Reading the store under the lock means an add of the same
     * indicator committed meanwhile is either read here or applied after, never lost.
     */
    RefreshResult deleted(String indicatorId)
    {
        refreshLock.lock();
        try {
            Tally tally = new Tally();
            List<StoredObject> remaining = store.findObjects(collectionId, ObjectQuery.all(1).withIds(List.of(indicatorId))).objects();
            // Removal forgets the version held, so that an older remaining version is accepted again.
            if (matcher.remove(indicatorId)) {
                tally.removed++;
            }
            for (StoredObject stored : remaining) {
                apply(stored.object(), tally);
            }
            return tally.result();
        }
        finally {
            refreshLock.unlock();
        }
    }

    private void apply(StixObject object, Tally tally)
    {
        if (!object.type().equals("indicator")) {
            return;
        }
        tally.read++;
        try {
            switch (matcher.upsert(object.tree())) {
                case ADDED -> tally.added++;
                case REPLACED -> tally.replaced++;
                case REVOKED -> tally.revoked++;
                case IGNORED_NOT_NEWER -> tally.ignored++;
            }
        }
        catch (VigieException e) {
            // One bad indicator must not stop the others; it is counted, reported and logged.
            invalidIndicators.incrementAndGet();
            tally.invalid++;
            String message = "collection " + collectionId + ": indicator skipped: " + e.getMessage();
            if (tally.errors.size() < MAXIMUM_ERRORS_REPORTED) {
                tally.errors.add(message);
            }
            LOG.warn(message);
        }
    }

    private static final class Tally
    {
        int read;
        int added;
        int replaced;
        int revoked;
        int ignored;
        int invalid;
        int expired;
        int removed;
        final List<String> errors = new ArrayList<>();

        RefreshResult result()
        {
            return new RefreshResult(read, added, replaced, revoked, ignored, invalid, expired, removed, errors);
        }
    }
}
