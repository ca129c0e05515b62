package org.vigie.kafka;

import org.vigie.store.ObjectStore;

import java.util.Optional;

/**
 * The sightings the matching workers write (topic {@code <prefix>sightings}, key: sighting id) and the group
 * member that stores them into a collection of the node's store. Sighting ids and their created time are
 * deterministic, so a sighting delivered again (a worker died before committing) is stored as a duplicate,
 * not as a second object or version.
 */
public interface SightingLog
        extends AutoCloseable
{
    /** The topic name for a configuration. */
    static String topic(KafkaConfig config)
    {
        return KafkaTopics.sightings(config);
    }

    /**
     * Starts a member of consumer group {@code groupId} that adds the sightings to {@code collectionId} of
     * {@code store} and commits their offsets once the store has them (creating the topic if needed).
     */
    static SightingLog startStoring(KafkaConfig config, ObjectStore store, String collectionId, String groupId)
    {
        return StoringSightingLog.start(config, store, collectionId, groupId);
    }

    /** Sightings stored as new versions. */
    long stored();

    /** Sightings the collection already held (deliveries again). */
    long duplicates();

    /** Records that are not STIX objects, skipped (and logged) so that they do not block their partition. */
    long rejected();

    /** Records whose offsets are committed. */
    long committed();

    /** Why the member stopped, when it has. */
    Optional<Throwable> failure();

    @Override
    void close();
}
