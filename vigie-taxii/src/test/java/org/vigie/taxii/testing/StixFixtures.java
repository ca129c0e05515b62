package org.vigie.taxii.testing;

import org.vigie.stix.Timestamps;

import java.time.Instant;
import java.util.Random;
import java.util.UUID;

/** STIX objects for tests, made from a seeded random source so that every run sees the same data. */
public final class StixFixtures
{
    private final Random random;

    public StixFixtures(long seed)
    {
        this.random = new Random(seed);
    }

    public String newId(String type)
    {
        return type + "--" + new UUID((random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L, (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L);
    }

    /** An indicator version: {@code created} fixed, {@code modified} as given. */
    public static String indicator(String id, Instant created, Instant modified)
    {
        return "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"" + id + "\",\"created\":\"" + Timestamps.format(created) + "\",\"modified\":\"" + Timestamps.format(modified)
                + "\",\"name\":\"test indicator\",\"pattern\":\"[ipv4-addr:value = '198.51.100.1']\",\"pattern_type\":\"stix\",\"valid_from\":\"" + Timestamps.format(created) + "\"}";
    }

    public static String malware(String id, Instant created)
    {
        return "{\"type\":\"malware\",\"spec_version\":\"2.1\",\"id\":\"" + id + "\",\"created\":\"" + Timestamps.format(created) + "\",\"modified\":\"" + Timestamps.format(created)
                + "\",\"name\":\"test malware\",\"is_family\":false}";
    }

    /** An SCO: no created or modified, so it has one unversioned version. */
    public static String ipv4(String id, String value)
    {
        return "{\"type\":\"ipv4-addr\",\"spec_version\":\"2.1\",\"id\":\"" + id + "\",\"value\":\"" + value + "\"}";
    }
}
