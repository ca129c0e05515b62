package org.vigie.pattern.match;

import org.vigie.error.VigieException;
import org.vigie.pattern.CompiledPattern;
import org.vigie.pattern.IpNetwork;
import org.vigie.pattern.Observation;
import org.vigie.pattern.ObservationExpression;
import org.vigie.pattern.PatternMatch;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.StampedLock;

import static java.util.Objects.requireNonNull;

/**
 * The index: per flattened path, a hash of equality values, hashes of LIKE prefixes and suffixes
 * (looked up once per distinct prefix length), a hash of windows (three to eight characters) of the literals
 * that LIKE and MATCHES expressions require, address blocks for ISSUBSET (a hash per prefix length:
 * a lookup walks the observed address's prefixes as a trie would), and a fallback list of indicators
 * that only need the path to exist. Candidates are then checked with the compiled pattern, so the
 * index only has to be complete, never exact.
 *
 * <p>Concurrency: every table is a concurrent map of immutable arrays replaced on update. Updates
 * take the write lock of a {@link StampedLock}; matching collects candidates under an optimistic read
 * and collects again under the read lock if an update ran meanwhile, so the candidates always come
 * from one consistent index. A candidate replaced after that is verified in its current version.
 * State of stateful indicators is guarded by the state's own lock.
 */
final class IndexedBulkMatcher
        implements BulkMatcher
{
    private static final Entry[] NO_ENTRIES = new Entry[0];
    /** Longest window of a required literal used as an index key. */
    static final int MAXIMUM_WINDOW = 8;

    private final InstantSource clock;
    private final MatcherOptions options;
    private final ConcurrentMap<String, Entry> indicators = new ConcurrentHashMap<>();
    // Latest version seen per id, revocations included, so that an older version arriving late is ignored.
    private final ConcurrentMap<String, Instant> versions = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, PathIndex> paths = new ConcurrentHashMap<>();
    // Writers take the write lock; readers read optimistically and fall back to the read lock.
    private final StampedLock lock = new StampedLock();

    IndexedBulkMatcher(InstantSource clock, MatcherOptions options)
    {
        this.clock = requireNonNull(clock, "clock is null");
        this.options = requireNonNull(options, "options is null");
    }

    @Override
    public UpsertResult upsert(Indicator indicator)
    {
        requireNonNull(indicator, "indicator is null");
        // Built outside the lock: anchors and state need no shared data.
        Entry entry = indicator.revoked() ? null : new Entry(indicator, options);
        long stamp = lock.writeLock();
        try {
            Instant known = versions.get(indicator.id());
            if (known != null && !indicator.version().isAfter(known)) {
                return UpsertResult.IGNORED_NOT_NEWER;
            }
            versions.put(indicator.id(), indicator.version());
            if (entry == null) {
                removeEntry(indicator.id());
                return UpsertResult.REVOKED;
            }
            for (Anchor anchor : entry.anchors) {
                paths.computeIfAbsent(anchor.key(), ignored -> new PathIndex()).add(anchor, entry);
            }
            Entry previous = indicators.put(indicator.id(), entry);
            if (previous != null) {
                unindex(previous);
                return UpsertResult.REPLACED;
            }
            return UpsertResult.ADDED;
        }
        finally {
            lock.unlockWrite(stamp);
        }
    }

    @Override
    public boolean remove(String indicatorId)
    {
        requireNonNull(indicatorId, "indicatorId is null");
        long stamp = lock.writeLock();
        try {
            // Unlike a revocation, removal forgets the version: the same version may be added again.
            versions.remove(indicatorId);
            return removeEntry(indicatorId);
        }
        finally {
            lock.unlockWrite(stamp);
        }
    }

    @Override
    public int removeExpired()
    {
        Instant now = clock.instant();
        int removed = 0;
        for (Entry entry : indicators.values()) {
            if (entry.indicator.validUntil().isPresent() && !now.isBefore(entry.indicator.validUntil().get())) {
                long stamp = lock.writeLock();
                try {
                    if (indicators.remove(entry.indicator.id(), entry)) {
                        unindex(entry);
                        removed++;
                    }
                }
                finally {
                    lock.unlockWrite(stamp);
                }
            }
        }
        return removed;
    }

    @Override
    public int size()
    {
        return indicators.size();
    }

    @Override
    public List<Match> match(Observation observation)
    {
        requireNonNull(observation, "observation is null");
        // Optimistic read: the candidates are collected again under the read lock when an update
        // ran meanwhile, so that they come from one consistent state of the index.
        long stamp = lock.tryOptimisticRead();
        Candidates candidates = collect(observation);
        if (!lock.validate(stamp)) {
            stamp = lock.readLock();
            try {
                candidates = collect(observation);
            }
            finally {
                lock.unlockRead(stamp);
            }
        }
        if (candidates.size == 0) {
            return List.of();
        }
        Instant now = clock.instant();
        List<Match> matches = new ArrayList<>(2);
        for (int i = 0; i < candidates.size; i++) {
            Entry entry = candidates.entries[i];
            Entry current = indicators.get(entry.indicator.id());
            if (current != entry) {
                // Replaced since the candidates were collected: the current version decides, once.
                if (current == null || candidates.contains(current) || !candidates.markSubstituted(current)) {
                    continue;
                }
                entry = current;
            }
            if (!entry.indicator.isActiveAt(now)) {
                continue;
            }
            CompiledPattern pattern = entry.indicator.pattern();
            if (entry.state == null) {
                if (pattern.matches(observation)) {
                    matches.add(new Match(entry.indicator.id(), entry.indicator.version(),
                            new PatternMatch(List.of(observation.id()), observation.firstObserved(), observation.lastObserved(), observation.numberObserved())));
                }
            }
            else {
                entry.state.offer(observation, now, entry, matches);
            }
        }
        if (matches.size() > 1) {
            matches.sort(Comparator.comparing(Match::indicatorId));
        }
        return matches;
    }

    private Candidates collect(Observation observation)
    {
        Candidates candidates = new Candidates();
        for (Map.Entry<String, Object[]> path : observation.entries()) {
            PathIndex index = paths.get(path.getKey());
            if (index != null) {
                index.collect(path.getValue(), candidates);
            }
        }
        return candidates;
    }

    private boolean removeEntry(String indicatorId)
    {
        Entry previous = indicators.remove(indicatorId);
        if (previous == null) {
            return false;
        }
        unindex(previous);
        return true;
    }

    private void unindex(Entry entry)
    {
        for (Anchor anchor : entry.anchors) {
            PathIndex index = paths.get(anchor.key());
            if (index != null) {
                index.remove(anchor, entry);
            }
        }
    }

    /** One indexed indicator version. */
    static final class Entry
    {
        final Indicator indicator;
        final List<Anchor> anchors;
        final State state;

        Entry(Indicator indicator, MatcherOptions options)
        {
            this.indicator = indicator;
            // Duplicate anchors (same key and value twice) would list the entry twice under one key.
            this.anchors = List.copyOf(new java.util.LinkedHashSet<>(Anchor.of(indicator.pattern().expression())));
            this.state = indicator.pattern().isStateless() ? null : new State(options.maximumObservationsPerIndicator(), retention(indicator.pattern().expression(), options.defaultRetention()));
        }

        private static Duration retention(ObservationExpression expression, Duration fallback)
        {
            Duration within = largestWithin(expression);
            return within == null ? fallback : within;
        }

        private static Duration largestWithin(ObservationExpression expression)
        {
            if (expression instanceof ObservationExpression.Within within) {
                Duration inner = largestWithin(within.expression());
                Duration own = Duration.ofNanos(within.seconds().movePointRight(9).min(java.math.BigDecimal.valueOf(Long.MAX_VALUE / 2)).longValue());
                return inner == null || own.compareTo(inner) > 0 ? own : inner;
            }
            // A WITHIN below a FOLLOWEDBY or AND does not bound the whole match: only a top-level one does.
            return null;
        }
    }

    /**
     * Observations that satisfied one of a stateful indicator's observation expressions, in arrival
     * order: at most {@code capacity}, none older (by the injected clock) than {@code retention}.
     */
    static final class State
    {
        private final int capacity;
        private final Duration retention;
        private final ArrayDeque<Observation> observations = new ArrayDeque<>();
        private final ArrayDeque<Instant> arrivals = new ArrayDeque<>();

        State(int capacity, Duration retention)
        {
            this.capacity = capacity;
            this.retention = retention;
        }

        synchronized void offer(Observation observation, Instant now, Entry entry, List<Match> matches)
        {
            CompiledPattern pattern = entry.indicator.pattern();
            if (!pattern.matchesAnyLeaf(observation)) {
                return;
            }
            Instant horizon = now.minus(retention);
            while (!arrivals.isEmpty() && arrivals.peekFirst().isBefore(horizon)) {
                arrivals.removeFirst();
                observations.removeFirst();
            }
            if (observations.size() == capacity) {
                arrivals.removeFirst();
                observations.removeFirst();
            }
            observations.addLast(observation);
            arrivals.addLast(now);
            List<Observation> window = new ArrayList<>(observations);
            // When the window holds too many combinations (REPEATS over many observations), the most
            // recent half is tried, then its half: matches found there are still matches of the pattern.
            while (true) {
                try {
                    for (PatternMatch match : pattern.evaluateIncluding(window, window.size() - 1)) {
                        matches.add(new Match(entry.indicator.id(), entry.indicator.version(), match));
                    }
                    return;
                }
                catch (VigieException e) {
                    if (window.size() <= 1) {
                        return;
                    }
                    window = window.subList(window.size() / 2, window.size());
                }
            }
        }

        synchronized int size()
        {
            return observations.size();
        }
    }

    /** Collected candidates without duplicates (an indicator can be reached through several anchors). */
    static final class Candidates
    {
        Entry[] entries = new Entry[8];
        int size;
        private Set<Entry> seen;

        void add(Entry entry)
        {
            if (seen != null) {
                if (!seen.add(entry)) {
                    return;
                }
            }
            else {
                for (int i = 0; i < size; i++) {
                    if (entries[i] == entry) {
                        return;
                    }
                }
                if (size == 16) {
                    seen = Collections.newSetFromMap(new IdentityHashMap<>());
                    seen.addAll(Arrays.asList(entries).subList(0, size));
                    seen.add(entry);
                }
            }
            if (size == entries.length) {
                entries = Arrays.copyOf(entries, size * 2);
            }
            entries[size++] = entry;
        }

        boolean contains(Entry entry)
        {
            if (seen != null) {
                return seen.contains(entry);
            }
            for (int i = 0; i < size; i++) {
                if (entries[i] == entry) {
                    return true;
                }
            }
            return false;
        }

        // Current versions verified in place of stale candidates, so that each is verified once.
        private Set<Entry> substituted;

        boolean markSubstituted(Entry entry)
        {
            if (substituted == null) {
                substituted = Collections.newSetFromMap(new IdentityHashMap<>());
            }
            return substituted.add(entry);
        }

        void addAll(Entry[] more)
        {
            for (Entry entry : more) {
                add(entry);
            }
        }
    }

    /** Everything indexed under one flattened path. */
    static final class PathIndex
    {
        private final ConcurrentMap<Object, Entry[]> equality = new ConcurrentHashMap<>();
        private final Affixes prefixes = new Affixes(true);
        private final Affixes suffixes = new Affixes(false);
        // Windows (3 to MAXIMUM_WINDOW characters) of literals that LIKE and MATCHES values must contain.
        private final ConcurrentMap<String, Entry[]> trigrams = new ConcurrentHashMap<>();
        private final LengthSet windowLengths = new LengthSet();
        private final HashFilter windowFilter = new HashFilter();
        private final ConcurrentMap<IpNetwork, Entry[]> networks = new ConcurrentHashMap<>();
        private final LengthSet networkLengths4 = new LengthSet();
        private final LengthSet networkLengths6 = new LengthSet();
        private volatile Entry[] fallback = NO_ENTRIES;
        // Set once a table is first used, never reset (an emptied table only costs a lookup).
        private volatile boolean hasEquality;
        private volatile boolean hasNetworks;
        private volatile boolean hasWindows;

        void add(Anchor anchor, Entry entry)
        {
            if (anchor instanceof Anchor.Equality equalityAnchor) {
                equality.compute(equalityAnchor.value(), (key, old) -> append(old, entry));
                hasEquality = true;
            }
            else if (anchor instanceof Anchor.Prefix prefix) {
                prefixes.add(prefix.prefix(), entry);
            }
            else if (anchor instanceof Anchor.Suffix suffix) {
                suffixes.add(suffix.suffix(), entry);
            }
            else if (anchor instanceof Anchor.Trigram trigram) {
                // Filed under one window of the literal, as long as allowed: long windows are selective.
                // Among the literal's windows the least used one keeps buckets small.
                String literal = trigram.literal();
                int width = Math.min(literal.length(), MAXIMUM_WINDOW);
                String best = null;
                int bestSize = Integer.MAX_VALUE;
                for (int i = 0; i + width <= literal.length(); i++) {
                    String piece = literal.substring(i, i + width);
                    Entry[] bucket = trigrams.get(piece);
                    int size = bucket == null ? 0 : bucket.length;
                    if (size < bestSize) {
                        best = piece;
                        bestSize = size;
                    }
                }
                windowLengths.add(width);
                hasWindows = true;
                windowFilter.add(best.hashCode());
                trigrams.compute(best, (key, old) -> append(old, entry));
            }
            else if (anchor instanceof Anchor.Network network) {
                IpNetwork block = network.network();
                (block.version6() ? networkLengths6 : networkLengths4).add(block.prefixLength());
                networks.compute(block, (key, old) -> append(old, entry));
                hasNetworks = true;
            }
            else {
                synchronized (this) {
                    fallback = append(fallback, entry);
                }
            }
        }

        // Slides a window over the value with String's polynomial hash, rolled one character at a time;
        // only windows whose hash passes the filter are cut out and looked up.
        private void scanWindows(String text, int width, Candidates candidates)
        {
            if (text.length() < width) {
                return;
            }
            int hash = 0;
            int power = 1;
            for (int i = 0; i < width; i++) {
                hash = hash * 31 + text.charAt(i);
                if (i > 0) {
                    power *= 31;
                }
            }
            for (int start = 0; ; start++) {
                if (windowFilter.mightContain(hash)) {
                    Entry[] found = trigrams.get(text.substring(start, start + width));
                    if (found != null) {
                        candidates.addAll(found);
                    }
                }
                if (start + width >= text.length()) {
                    return;
                }
                hash = (hash - text.charAt(start) * power) * 31 + text.charAt(start + width);
            }
        }

        void remove(Anchor anchor, Entry entry)
        {
            if (anchor instanceof Anchor.Equality equalityAnchor) {
                equality.computeIfPresent(equalityAnchor.value(), (key, old) -> without(old, entry));
            }
            else if (anchor instanceof Anchor.Prefix prefix) {
                prefixes.remove(prefix.prefix(), entry);
            }
            else if (anchor instanceof Anchor.Suffix suffix) {
                suffixes.remove(suffix.suffix(), entry);
            }
            else if (anchor instanceof Anchor.Trigram trigram) {
                // Filed under one of its windows: remove from whichever holds it.
                String literal = trigram.literal();
                int width = Math.min(literal.length(), MAXIMUM_WINDOW);
                for (int i = 0; i + width <= literal.length(); i++) {
                    trigrams.computeIfPresent(literal.substring(i, i + width), (key, old) -> without(old, entry));
                }
            }
            else if (anchor instanceof Anchor.Network network) {
                // Prefix lengths stay registered: a spare length only costs one empty lookup.
                networks.computeIfPresent(network.network(), (key, old) -> without(old, entry));
            }
            else {
                synchronized (this) {
                    Entry[] remaining = without(fallback, entry);
                    fallback = remaining == null ? NO_ENTRIES : remaining;
                }
            }
        }

        void collect(Object[] values, Candidates candidates)
        {
            Entry[] always = fallback;
            if (always.length > 0) {
                candidates.addAll(always);
            }
            // Flags rather than isEmpty(): a concurrent map's isEmpty sums its counters on every call.
            boolean anyEquality = hasEquality;
            boolean anyNetwork = hasNetworks;
            boolean anyTrigram = hasWindows;
            boolean anyPrefix = prefixes.used;
            boolean anySuffix = suffixes.used;
            for (Object value : values) {
                if (anyEquality) {
                    Entry[] found = equality.get(Anchor.valueKey(value));
                    if (found != null) {
                        candidates.addAll(found);
                    }
                }
                if (!(value instanceof String text)) {
                    continue;
                }
                if (anyPrefix) {
                    prefixes.collect(text, candidates);
                }
                if (anySuffix) {
                    suffixes.collect(text, candidates);
                }
                if (anyTrigram) {
                    for (int width : windowLengths.lengths()) {
                        scanWindows(text, width, candidates);
                    }
                }
                if (anyNetwork) {
                    IpNetwork observed = IpNetwork.parse(text);
                    if (observed != null) {
                        for (int length : (observed.version6() ? networkLengths6 : networkLengths4).lengths()) {
                            if (length > observed.prefixLength()) {
                                break;
                            }
                            Entry[] found = networks.get(observed.widenedTo(length));
                            if (found != null) {
                                candidates.addAll(found);
                            }
                        }
                    }
                }
            }
        }
    }

    /** LIKE prefixes (or suffixes): a hash per affix, looked up for each distinct affix length. */
    static final class Affixes
    {
        private final boolean prefix;
        private final ConcurrentMap<String, Entry[]> byAffix = new ConcurrentHashMap<>();
        private final LengthSet lengths = new LengthSet();
        private final HashFilter filter = new HashFilter();
        volatile boolean used;

        Affixes(boolean prefix)
        {
            this.prefix = prefix;
        }

        void add(String affix, Entry entry)
        {
            used = true;
            lengths.add(affix.length());
            filter.add(affix.hashCode());
            byAffix.compute(affix, (key, old) -> append(old, entry));
        }

        void remove(String affix, Entry entry)
        {
            byAffix.computeIfPresent(affix, (key, old) -> without(old, entry));
        }

        void collect(String text, Candidates candidates)
        {
            // Hashes of every prefix (or suffix) are built in one pass; only those passing the filter are looked up.
            int[] wanted = lengths.lengths();
            int next = 0;
            int hash = 0;
            int power = 1;
            int textLength = text.length();
            for (int length = 1; length <= textLength && next < wanted.length; length++) {
                if (prefix) {
                    hash = hash * 31 + text.charAt(length - 1);
                }
                else {
                    hash += text.charAt(textLength - length) * power;
                    power *= 31;
                }
                if (length != wanted[next]) {
                    continue;
                }
                next++;
                if (filter.mightContain(hash)) {
                    Entry[] found = byAffix.get(prefix ? text.substring(0, length) : text.substring(textLength - length));
                    if (found != null) {
                        candidates.addAll(found);
                    }
                }
            }
        }
    }

    /**
     * A one-sided filter of string hashes (String.hashCode, as the scans roll it): false means the
     * string is certainly not a key. Bits are only set (under the write lock), never cleared: a removed
     * key costs at most a useless lookup. The bit array doubles when it holds more than one key per 16
     * bits, rebuilt from the hashes added so far, so that false positives stay rare at any size.
     */
    static final class HashFilter
    {
        private static final int INITIAL_BITS = 1 << 12;

        private volatile long[] bits = new long[INITIAL_BITS / 64];
        private int[] hashes = new int[16];
        private int count;

        void add(int hash)
        {
            if (count == hashes.length) {
                hashes = Arrays.copyOf(hashes, count * 2);
            }
            hashes[count++] = hash;
            long[] current = bits;
            if ((long) count * 16 > (long) current.length * 64) {
                long[] grown = new long[current.length * 2];
                for (int i = 0; i < count; i++) {
                    set(grown, hashes[i]);
                }
                bits = grown;
            }
            else {
                set(current, hash);
            }
        }

        boolean mightContain(int hash)
        {
            long[] current = bits;
            int bit = mix(hash) & (current.length * 64 - 1);
            return (current[bit >>> 6] & (1L << bit)) != 0;
        }

        private static void set(long[] target, int hash)
        {
            int bit = mix(hash) & (target.length * 64 - 1);
            target[bit >>> 6] |= 1L << bit;
        }

        private static int mix(int hash)
        {
            hash ^= hash >>> 16;
            hash *= 0x85ebca6b;
            hash ^= hash >>> 13;
            return hash;
        }
    }

    /** A sorted set of small lengths, read without locking. */
    static final class LengthSet
    {
        private volatile int[] lengths = new int[0];

        synchronized void add(int length)
        {
            int[] current = lengths;
            if (Arrays.binarySearch(current, length) >= 0) {
                return;
            }
            int[] next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = length;
            Arrays.sort(next);
            lengths = next;
        }

        int[] lengths()
        {
            return lengths;
        }
    }

    private static Entry[] append(Entry[] old, Entry entry)
    {
        if (old == null) {
            return new Entry[] {entry};
        }
        Entry[] next = Arrays.copyOf(old, old.length + 1);
        next[old.length] = entry;
        return next;
    }

    // Null when nothing remains, so that compute() drops the key.
    private static Entry[] without(Entry[] old, Entry entry)
    {
        int position = -1;
        for (int i = 0; i < old.length; i++) {
            if (old[i] == entry) {
                position = i;
                break;
            }
        }
        if (position < 0) {
            return old;
        }
        if (old.length == 1) {
            return null;
        }
        Entry[] next = new Entry[old.length - 1];
        System.arraycopy(old, 0, next, 0, position);
        System.arraycopy(old, position + 1, next, position, old.length - position - 1);
        return next;
    }
}
