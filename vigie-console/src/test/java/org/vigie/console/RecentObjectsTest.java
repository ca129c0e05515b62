package org.vigie.console;

import org.junit.jupiter.api.Test;
import org.vigie.stix.StixObject;
import org.vigie.store.StoredObject;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecentObjectsTest
{
    private static final Instant ADDED = Instant.parse("2026-11-23T09:00:00Z");

    @Test
    void holdsTheLastVersionWrittenOfEachObjectWithinItsBoundOldestGoingFirst()
    {
        StoredObject first = stored("campaign--00000000-0000-4000-8000-000000000001", "2026-01-01T00:00:00Z");
        StoredObject second = stored("campaign--00000000-0000-4000-8000-000000000002", "2026-01-01T00:00:00Z");
        StoredObject third = stored("campaign--00000000-0000-4000-8000-000000000003", "2026-01-01T00:00:00Z");
        int size = first.object().json().length();
        RecentObjects recent = new RecentObjects(2L * size);
        recent.put("c", first);
        recent.put("c", second);
        assertThat(recent.characters()).isEqualTo(2L * size);
        recent.put("c", third);
        assertThat(recent.snapshot()).containsOnlyKeys("c " + second.object().id(), "c " + third.object().id());
        assertThat(recent.characters()).isEqualTo(2L * size);

        // A newer write of a held object replaces it and counts as the newest.
        StoredObject secondAgain = stored(second.object().id(), "2026-02-01T00:00:00Z");
        recent.put("c", secondAgain);
        recent.put("c", first);
        assertThat(recent.snapshot()).containsOnlyKeys("c " + second.object().id(), "c " + first.object().id());
        assertThat(recent.take("c", second.object().id())).contains(secondAgain);
        assertThat(recent.take("c", second.object().id())).as("taken once").isEmpty();
        assertThat(recent.take("other collection", first.object().id())).isEmpty();
        recent.forget("c", first.object().id());
        assertThat(recent.size()).isZero();
        assertThat(recent.characters()).isZero();
    }

    @Test
    void anObjectLargerThanTheBoundIsNotHeldAndTheBoundMustNotBeNegative()
    {
        RecentObjects recent = new RecentObjects(10);
        recent.put("c", stored("campaign--00000000-0000-4000-8000-000000000001", "2026-01-01T00:00:00Z"));
        assertThat(recent.size()).isZero();
        assertThatThrownBy(() -> new RecentObjects(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
    }

    private static StoredObject stored(String id, String modified)
    {
        return new StoredObject(StixObject.fromJson("{\"type\":\"campaign\",\"spec_version\":\"2.1\",\"id\":\"" + id + "\",\"created\":\"2025-01-01T00:00:00.000Z\",\"modified\":\""
                + modified + "\",\"name\":\"Kestrel\"}"), ADDED);
    }
}
