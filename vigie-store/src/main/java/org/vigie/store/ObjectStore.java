package org.vigie.store;

import org.vigie.stix.StixObject;
import org.vigie.store.events.EventLog;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * The node's versioned STIX object store. Every (id, version) pair is kept per collection; each
 * stored version gets a per-collection "date added" with microsecond precision that strictly increases,
 * even across processes writing the same store (import while the node runs).
 *
 * <p>Implementations: SQLite (the embedded default), PostgreSQL, and an in-memory one used as the
 * reference model in tests. All must pass {@code ObjectStoreContractTest}; nothing in this interface
 * may depend on one vendor's behaviour.
 */
public interface ObjectStore
        extends AutoCloseable
{
    // --- collections ---

    /** Creates a collection; fails with COLLECTION_EXISTS when the id is taken. */
    CollectionInfo createCollection(CollectionInfo collection);

    List<CollectionInfo> listCollections();

    Optional<CollectionInfo> findCollection(String collectionId);

    // --- objects ---

    /**
     * Adds objects to a collection in one transaction: when this returns, every outcome is durable.
     * Re-adding an identical (id, version) is idempotent and reported as {@link AddOutcome.Result#DUPLICATE}.
     * Returns one outcome per input object, in input order.
     */
    List<AddOutcome> addObjects(String collectionId, List<StixObject> objects);

    /**
     * Adds, in one transaction, the objects that {@code chunks} hands out chunk by chunk, exactly as
     * {@link #addObjects(String, List)} adds them all in that order. A store may write each chunk before it asks
     * for the next, so that a caller streaming a large transaction (the importer) holds one chunk in memory, not
     * the whole transaction. The chunks are read on the calling thread inside the transaction: a slow source
     * holds the collection's write lock meanwhile. This default collects the chunks and adds them as one list,
     * so that a store wrapping another sees the whole add.
     */
    default List<AddOutcome> addObjectChunks(String collectionId, Iterator<List<StixObject>> chunks)
    {
        List<StixObject> objects = new ArrayList<>();
        chunks.forEachRemaining(objects::addAll);
        return addObjects(collectionId, objects);
    }

    /**
     * Objects (with their JSON) matching a TAXII query, ordered by date added. A version is returned when
     * every filter holds: {@code first}/{@code last} are the least/greatest version of that object in the
     * collection (over all its versions, whatever the other filters); an unversioned object's single
     * version counts as both, and an explicit version equal to its date added selects it (TAXII manifests
     * show the date added as the version of such objects); with no spec versions given, only the object's
     * greatest spec version is kept.
     */
    ObjectPage findObjects(String collectionId, ObjectQuery query);

    /**
     * The page {@link #findObjects} returns for the same arguments (same objects in the same order, same
     * {@code more}, {@code next} and dates added), with each object's JSON as the UTF-8 bytes of its text, for
     * serving it as it is. Stores that hold the text as UTF-8 override this to hand the bytes over without
     * decoding them.
     */
    default SerializedPage findSerializedObjects(String collectionId, ObjectQuery query)
    {
        return SerializedPage.of(findObjects(collectionId, query));
    }

    /**
     * Deletes the versions of one object selected by the filters (TAXII "Delete An Object"): exactly the
     * versions {@link #findObjects} would return for that id with the same filters (so empty
     * {@code specVersions} selects only the object's latest specification version).
     * Returns the number of versions removed; zero when nothing matched.
     */
    int deleteObject(String collectionId, String objectId, VersionFilter versions, List<String> specVersions);

    /** Number of stored versions in a collection. */
    long countObjects(String collectionId);

    // --- TAXII status resources ---

    void saveStatus(TaxiiStatus status);

    Optional<TaxiiStatus> findStatus(String statusId);

    // --- users and API tokens (secrets are stored only as slow hashes made by the caller) ---

    void addUser(UserAccount user);

    /** Replaces a user's hash and rights; fails with USER_NOT_FOUND when absent. */
    void updateUser(UserAccount user);

    Optional<UserAccount> findUser(String name);

    List<UserAccount> listUsers();

    void addToken(ApiToken token);

    /** Tokens are looked up by their public identifier; the secret part is checked against the hash. */
    Optional<ApiToken> findToken(String tokenId);

    // --- events ---

    /**
     * The log of committed changes to this store's collections: one event per stored version
     * ({@link org.vigie.store.events.Event.Kind#ADDED}, duplicates add none) and per deleted version, appended
     * in the transaction of the change.
     */
    default EventLog events()
    {
        throw new UnsupportedOperationException(getClass().getName() + " keeps no event log");
    }

    @Override
    void close();
}
