package org.vigie.store;

import org.vigie.stix.StixObject;
import org.vigie.stix.Timestamps;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Builds small STIX objects for store tests. */
public final class TestObjects
{
    private TestObjects() {}

    public static String newId(String type)
    {
        return type + "--" + UUID.randomUUID();
    }

    public static String deterministicId(String type, long seed)
    {
        return type + "--" + new UUID(seed * 31 + 7, seed).toString();
    }

    /** An SDO with created and modified (its version is {@code modified}). */
    public static StixObject version(String id, Instant created, Instant modified, String specVersion, String name)
    {
        String type = id.substring(0, id.indexOf("--"));
        String json = "{\"type\":\"" + type + "\",\"spec_version\":\"" + specVersion + "\",\"id\":\"" + id + "\""
                + ",\"created\":\"" + Timestamps.format(created) + "\",\"modified\":\"" + Timestamps.format(modified) + "\""
                + ",\"name\":\"" + name + "\"}";
        return StixObject.fromJson(json);
    }

    public static StixObject version(String id, Instant modified, String name)
    {
        return version(id, Instant.parse("2020-01-01T00:00:00Z"), modified, "2.1", name);
    }

    /** An SCO-like object with neither created nor modified: unversioned. */
    public static StixObject unversioned(String id, String value)
    {
        String type = id.substring(0, id.indexOf("--"));
        return StixObject.fromJson("{\"type\":\"" + type + "\",\"spec_version\":\"2.1\",\"id\":\"" + id + "\",\"value\":\"" + value + "\"}");
    }

    public static Optional<Instant> none()
    {
        return Optional.empty();
    }
}
