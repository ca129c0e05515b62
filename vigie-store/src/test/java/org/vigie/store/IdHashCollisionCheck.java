package org.vigie.store;

import org.vigie.stix.StixObject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two ids sharing a hash stay apart. No two real ids with equal SHA-256 prefixes are known, so the check makes
 * one: it stores object B, then gives B's rows the hash of object A's id directly in the table. Every look-up of A
 * then meets B's row under A's hash, and must tell it apart by the id: finding, versions, duplicates, latest
 * markers and deletion of A behave as if B were not there, and B's row is never touched.
 */
final class IdHashCollisionCheck
{
    private static final String A = "malware--0a0a0a0a-0000-4000-8000-00000000000a";
    private static final String B = "malware--0b0b0b0b-0000-4000-8000-00000000000b";
    private static final Instant T1 = Instant.parse("2022-03-01T00:00:00Z");
    private static final Instant T2 = Instant.parse("2022-03-02T00:00:00Z");
    private static final Instant T3 = Instant.parse("2022-03-03T00:00:00Z");

    private IdHashCollisionCheck() {}

    /** Runs the check on {@code store}, whose tables {@code connection} reaches; {@code collection} exists and is empty. */
    static void run(ObjectStore store, Connection connection, String collection)
            throws SQLException
    {
        // B's first version has the version of A's first, B's last is later than any of A's.
        StixObject b1 = TestObjects.version(B, T1, T1, "2.1", "b one");
        StixObject b3 = TestObjects.version(B, T1, T3, "2.1", "b three");
        assertThat(store.addObjects(collection, List.of(b1, b3))).extracting(AddOutcome::result).containsOnly(AddOutcome.Result.STORED);
        try (PreparedStatement forge = connection.prepareStatement("UPDATE objects SET id_hash = ? WHERE object_id = ?")) {
            forge.setLong(1, ObjectIdHash.of(A));
            forge.setString(2, B);
            assertThat(forge.executeUpdate()).isEqualTo(2);
        }

        // Same version text as B's first: A's own version is new, not a duplicate of B's.
        StixObject a1 = TestObjects.version(A, T1, T1, "2.1", "a one");
        assertThat(store.addObjects(collection, List.of(a1))).extracting(AddOutcome::result).containsExactly(AddOutcome.Result.STORED);
        assertThat(store.addObjects(collection, List.of(a1))).extracting(AddOutcome::result).containsExactly(AddOutcome.Result.DUPLICATE);
        StixObject a2 = TestObjects.version(A, T1, T2, "2.1", "a two");
        // In one call with a repeat of itself: the repeat is a duplicate of the first.
        assertThat(store.addObjects(collection, List.of(a2, a2))).extracting(AddOutcome::result)
                .containsExactly(AddOutcome.Result.STORED, AddOutcome.Result.DUPLICATE);

        assertThat(objects(store, collection, ObjectQuery.all(10).withIds(List.of(A)))).containsExactly(a2);
        assertThat(objects(store, collection, ObjectQuery.all(10).withIds(List.of(A)).withVersions(VersionFilter.ALL))).containsExactly(a1, a2);
        assertThat(objects(store, collection, ObjectQuery.all(10).withIds(List.of(A)).withVersions(VersionFilter.FIRST))).containsExactly(a1);
        // The latest markers, each object's from its own rows: B's later version does not hide A's latest.
        assertThat(objects(store, collection, ObjectQuery.all(10))).containsExactly(b3, a2);
        assertThat(objects(store, collection, ObjectQuery.all(10).withIds(List.of(A)).withVersions(VersionFilter.LAST))).containsExactly(a2);

        assertThat(store.deleteObject(collection, A, VersionFilter.LAST, List.of())).isEqualTo(1);
        assertThat(objects(store, collection, ObjectQuery.all(10))).containsExactly(b3, a1);
        assertThat(store.deleteObject(collection, A, VersionFilter.ALL, List.of())).isEqualTo(1);
        assertThat(objects(store, collection, ObjectQuery.all(10).withVersions(VersionFilter.ALL))).containsExactly(b1, b3);
        try (PreparedStatement rows = connection.prepareStatement("SELECT object_id, latest FROM objects ORDER BY date_added");
                ResultSet result = rows.executeQuery()) {
            for (int expected : new int[] {0, 1}) {
                assertThat(result.next()).isTrue();
                assertThat(result.getString(1)).isEqualTo(B);
                assertThat(result.getInt(2)).isEqualTo(expected);
            }
            assertThat(result.next()).isFalse();
        }
    }

    private static List<StixObject> objects(ObjectStore store, String collection, ObjectQuery query)
    {
        return store.findObjects(collection, query).objects().stream().map(StoredObject::object).toList();
    }
}
