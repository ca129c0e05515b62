package org.vigie.store;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.stix.StixObject;
import org.vigie.store.StoreEvents.PendingEvent;
import org.vigie.store.events.Event;
import org.vigie.store.events.EventLog;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * A store held in memory, written to be obviously correct rather than fast: it is the reference model
 * the database stores are checked against. Every method holds the store's lock.
 */
final class InMemoryObjectStore
        implements ObjectStore
{
    private final InstantSource clock;
    private final Map<String, MemoryCollection> collections = new LinkedHashMap<>();
    private final Map<String, TaxiiStatus> statuses = new HashMap<>();
    private final Map<String, UserAccount> users = new TreeMap<>();
    private final Map<String, ApiToken> tokens = new HashMap<>();
    private final InMemoryEventLog events = new InMemoryEventLog();
    // Tests only: a failure raised by the next write, before it changes anything (as a rolled-back transaction).
    private RuntimeException injectedFailure;

    InMemoryObjectStore(InstantSource clock)
    {
        this.clock = requireNonNull(clock, "clock is null");
    }

    private record Entry(StixObject object, String versionKey, long dateAdded) {}

    private record Key(String id, String versionKey) {}

    private static final class MemoryCollection
    {
        private final CollectionInfo info;
        private final Map<Key, Entry> byKey = new HashMap<>();
        private final TreeMap<Long, Entry> byDateAdded = new TreeMap<>();
        private final Map<String, Map<String, Entry>> byId = new HashMap<>();
        private long lastDateAdded = Long.MIN_VALUE;

        MemoryCollection(CollectionInfo info)
        {
            this.info = info;
        }

        List<Entry> versionsOf(String id)
        {
            return List.copyOf(byId.getOrDefault(id, Map.of()).values());
        }

        void add(Entry entry)
        {
            byKey.put(new Key(entry.object().id(), entry.versionKey()), entry);
            byDateAdded.put(entry.dateAdded(), entry);
            byId.computeIfAbsent(entry.object().id(), id -> new TreeMap<>()).put(entry.versionKey(), entry);
        }

        void remove(Entry entry)
        {
            byKey.remove(new Key(entry.object().id(), entry.versionKey()));
            byDateAdded.remove(entry.dateAdded());
            Map<String, Entry> versions = byId.get(entry.object().id());
            versions.remove(entry.versionKey());
            if (versions.isEmpty()) {
                byId.remove(entry.object().id());
            }
        }

        boolean selected(Entry entry, VersionFilter filter, List<String> specVersions)
        {
            List<Entry> versions = versionsOf(entry.object().id());
            String first = versions.stream().map(Entry::versionKey).min(String::compareTo).orElseThrow();
            String last = versions.stream().map(Entry::versionKey).max(String::compareTo).orElseThrow();
            boolean versionMatches = filter.all()
                    || (filter.first() && entry.versionKey().equals(first))
                    || (filter.last() && entry.versionKey().equals(last))
                    || filter.versions().stream().anyMatch(version -> StoreText.instantKey(version).equals(entry.versionKey())
                            || (entry.versionKey().equals(StoreText.UNVERSIONED) && StoreText.fromMicros(entry.dateAdded()).equals(version)));
            if (!versionMatches) {
                return false;
            }
            if (specVersions.isEmpty()) {
                String latestSpecVersion = versions.stream().map(version -> version.object().specVersion()).max(String::compareTo).orElseThrow();
                return entry.object().specVersion().equals(latestSpecVersion);
            }
            return specVersions.contains(entry.object().specVersion());
        }
    }

    @Override
    public synchronized CollectionInfo createCollection(CollectionInfo collection)
    {
        requireNonNull(collection, "collection is null");
        if (collections.containsKey(collection.id())) {
            throw new VigieException(ErrorCode.COLLECTION_EXISTS, "collection " + collection.id() + " already exists");
        }
        collections.put(collection.id(), new MemoryCollection(collection));
        return collection;
    }

    @Override
    public synchronized List<CollectionInfo> listCollections()
    {
        return collections.values().stream().map(collection -> collection.info).toList();
    }

    @Override
    public synchronized Optional<CollectionInfo> findCollection(String collectionId)
    {
        requireNonNull(collectionId, "collectionId is null");
        return Optional.ofNullable(collections.get(collectionId)).map(collection -> collection.info);
    }

    @Override
    public synchronized List<AddOutcome> addObjects(String collectionId, List<StixObject> objects)
    {
        requireNonNull(objects, "objects is null");
        MemoryCollection collection = collection(collectionId);
        if (objects.isEmpty()) {
            return List.of();
        }
        objects.forEach(object -> requireNonNull(object, "object is null"));
        throwInjectedFailure();
        // Each object of a call reserves one microsecond, whether it turns out new or a duplicate.
        long base = Math.max(StoreText.toMicros(clock.instant()), collection.lastDateAdded == Long.MIN_VALUE ? Long.MIN_VALUE : collection.lastDateAdded + 1);
        List<AddOutcome> outcomes = new ArrayList<>(objects.size());
        for (int index = 0; index < objects.size(); index++) {
            StixObject object = requireNonNull(objects.get(index), "object is null");
            String versionKey = StoreText.versionKey(object.version());
            Key key = new Key(object.id(), versionKey);
            Entry existing = collection.byKey.get(key);
            if (existing != null) {
                outcomes.add(new AddOutcome(object.id(), object.version(), AddOutcome.Result.DUPLICATE, StoreText.fromMicros(existing.dateAdded())));
                continue;
            }
            Entry entry = new Entry(object, versionKey, base + index);
            collection.add(entry);
            outcomes.add(new AddOutcome(object.id(), object.version(), AddOutcome.Result.STORED, StoreText.fromMicros(entry.dateAdded())));
        }
        collection.lastDateAdded = base + objects.size() - 1;
        events.append(outcomes.stream()
                .filter(outcome -> outcome.result() == AddOutcome.Result.STORED)
                .map(outcome -> new PendingEvent(collectionId, outcome.id(), StoreText.versionKey(outcome.version()), Event.Kind.ADDED, StoreText.toMicros(outcome.dateAdded())))
                .toList());
        return List.copyOf(outcomes);
    }

    @Override
    public synchronized ObjectPage findObjects(String collectionId, ObjectQuery query)
    {
        requireNonNull(query, "query is null");
        MemoryCollection collection = collection(collectionId);
        long lowerBound = StoreText.lowerBoundMicros(query);
        List<StoredObject> page = new ArrayList<>();
        boolean more = false;
        for (Entry entry : collection.byDateAdded.tailMap(lowerBound, false).values()) {
            StixObject object = entry.object();
            if (!query.ids().isEmpty() && !query.ids().contains(object.id())) {
                continue;
            }
            if (!query.types().isEmpty() && !query.types().contains(object.type())) {
                continue;
            }
            if (!collection.selected(entry, query.versions(), query.specVersions())) {
                continue;
            }
            if (page.size() == query.limit()) {
                more = true;
                break;
            }
            page.add(new StoredObject(object, StoreText.fromMicros(entry.dateAdded())));
        }
        Optional<String> next = more ? Optional.of(StoreText.encodeCursor(page.get(page.size() - 1).dateAdded())) : Optional.empty();
        return new ObjectPage(page, more, next);
    }

    @Override
    public synchronized int deleteObject(String collectionId, String objectId, VersionFilter versions, List<String> specVersions)
    {
        requireNonNull(objectId, "objectId is null");
        requireNonNull(versions, "versions is null");
        requireNonNull(specVersions, "specVersions is null");
        MemoryCollection collection = collection(collectionId);
        // Select first, then remove: first/last must be computed over the versions present before the delete.
        List<Entry> doomed = collection.versionsOf(objectId).stream()
                .filter(entry -> collection.selected(entry, versions, specVersions))
                .sorted(Comparator.comparingLong(Entry::dateAdded))
                .toList();
        if (!doomed.isEmpty()) {
            throwInjectedFailure();
        }
        doomed.forEach(collection::remove);
        events.append(doomed.stream()
                .map(entry -> new PendingEvent(collectionId, objectId, entry.versionKey(), Event.Kind.DELETED, entry.dateAdded()))
                .toList());
        return doomed.size();
    }

    @Override
    public synchronized long countObjects(String collectionId)
    {
        return collection(collectionId).byKey.size();
    }

    @Override
    public synchronized void saveStatus(TaxiiStatus status)
    {
        requireNonNull(status, "status is null");
        statuses.put(status.id(), status);
    }

    @Override
    public synchronized Optional<TaxiiStatus> findStatus(String statusId)
    {
        requireNonNull(statusId, "statusId is null");
        return Optional.ofNullable(statuses.get(statusId));
    }

    @Override
    public synchronized void addUser(UserAccount user)
    {
        requireNonNull(user, "user is null");
        if (users.containsKey(user.name())) {
            throw new VigieException(ErrorCode.USER_EXISTS, "user '" + user.name() + "' already exists");
        }
        users.put(user.name(), user);
    }

    @Override
    public synchronized void updateUser(UserAccount user)
    {
        requireNonNull(user, "user is null");
        if (!users.containsKey(user.name())) {
            throw new VigieException(ErrorCode.USER_NOT_FOUND, "user '" + user.name() + "' does not exist");
        }
        users.put(user.name(), user);
    }

    @Override
    public synchronized Optional<UserAccount> findUser(String name)
    {
        requireNonNull(name, "name is null");
        return Optional.ofNullable(users.get(name));
    }

    @Override
    public synchronized List<UserAccount> listUsers()
    {
        return List.copyOf(users.values());
    }

    @Override
    public synchronized void addToken(ApiToken token)
    {
        requireNonNull(token, "token is null");
        if (!users.containsKey(token.userName())) {
            throw new VigieException(ErrorCode.USER_NOT_FOUND, "token " + token.id() + ": user '" + token.userName() + "' does not exist");
        }
        if (tokens.containsKey(token.id())) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "token " + token.id() + " already exists");
        }
        tokens.put(token.id(), token);
    }

    @Override
    public synchronized Optional<ApiToken> findToken(String tokenId)
    {
        requireNonNull(tokenId, "tokenId is null");
        return Optional.ofNullable(tokens.get(tokenId));
    }

    @Override
    public EventLog events()
    {
        return events;
    }

    /** Tests only: makes the next write fail before it changes anything, as a rolled-back transaction would. */
    synchronized void failNextWrite(RuntimeException failure)
    {
        injectedFailure = requireNonNull(failure, "failure is null");
    }

    private void throwInjectedFailure()
    {
        RuntimeException failure = injectedFailure;
        if (failure != null) {
            injectedFailure = null;
            throw failure;
        }
    }

    @Override
    public void close() {}

    private MemoryCollection collection(String collectionId)
    {
        requireNonNull(collectionId, "collectionId is null");
        MemoryCollection collection = collections.get(collectionId);
        if (collection == null) {
            throw new VigieException(ErrorCode.COLLECTION_NOT_FOUND, "collection " + collectionId + " does not exist");
        }
        return collection;
    }
}
