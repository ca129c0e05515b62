package org.vigie.node.generate;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * Generates a stream of realistic, valid STIX 2.1 objects: a producing identity, threat actors, intrusion
 * sets, campaigns, malware, attack patterns, indicators over several observable types (IPv4, domain, URL,
 * SHA-256 file hash, e-mail), relationships between them, sightings of indicators, reports, and new
 * versions of earlier indicators. References always point to objects generated earlier.
 *
 * <p>The same seed and start give the same objects (deterministic UUIDs and timestamps), so benchmarks
 * and tests can regenerate their input instead of storing it. Every object's version is unique: the
 * generator's clock advances by at least one millisecond per object. Not thread-safe.
 */
public final class StixGenerator
{
    public static final Instant DEFAULT_START = Instant.parse("2024-01-01T00:00:00Z");

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final int POOL_SIZE = 512;

    private static final List<String> ADJECTIVES = List.of("Silent", "Crimson", "Iron", "Hidden", "Northern", "Velvet", "Shadow", "Copper", "Frozen", "Amber", "Granite", "Scarlet", "Hollow", "Electric", "Obsidian");
    private static final List<String> NOUNS = List.of("Viper", "Falcon", "Lynx", "Kraken", "Harbor", "Comet", "Wolf", "Mantis", "Heron", "Badger", "Orchid", "Lantern", "Raven", "Pike", "Tundra");
    private static final List<String> THREAT_ACTOR_TYPES = List.of("nation-state", "crime-syndicate", "hacker", "insider-disgruntled", "activist", "spy");
    private static final List<String> MOTIVATIONS = List.of("organizational-gain", "personal-gain", "ideology", "dominance", "coercion", "notoriety");
    private static final List<String> RESOURCE_LEVELS = List.of("individual", "club", "team", "organization", "government");
    private static final List<String> SOPHISTICATION = List.of("minimal", "intermediate", "advanced", "expert", "innovator", "strategic");
    private static final List<String> MALWARE_TYPES = List.of("backdoor", "ransomware", "trojan", "dropper", "keylogger", "remote-access-trojan", "worm", "spyware");
    private static final List<String> TACTICS = List.of("Spearphishing Attachment", "Valid Accounts", "Command and Scripting Interpreter", "Exploit Public-Facing Application", "Data Encrypted for Impact", "Remote Services", "Credential Dumping", "Ingress Tool Transfer");
    private static final List<String> TOP_LEVEL_DOMAINS = List.of("com", "net", "org", "info", "biz", "io", "ru", "cn", "xyz", "top");
    private static final List<String> SECTORS = List.of("energy", "financial-services", "government-national", "healthcare", "telecommunications", "transportation", "utilities", "defense");
    private static final List<String> INDICATOR_TYPES = List.of("malicious-activity", "anomalous-activity", "attribution", "compromised");

    private final Random random;
    private Instant clock;
    private final String producerId;
    private final List<String> threatActors = new ArrayList<>();
    private final List<String> intrusionSets = new ArrayList<>();
    private final List<String> campaigns = new ArrayList<>();
    private final List<String> malware = new ArrayList<>();
    private final List<String> attackPatterns = new ArrayList<>();
    private final List<IndicatorSeed> indicators = new ArrayList<>();
    private final List<String> recentIds = new ArrayList<>();
    private long produced;

    private record IndicatorSeed(String id, Instant created, String name, String pattern, String indicatorType, int observableIndex) {}

    private StixGenerator(long seed, Instant start)
    {
        this.random = new Random(seed);
        this.clock = requireNonNull(start, "start is null").truncatedTo(ChronoUnit.MILLIS);
        this.producerId = "identity--" + uuid();
    }

    public static StixGenerator create(long seed, Instant start)
    {
        return new StixGenerator(seed, start);
    }

    public static StixGenerator create(long seed)
    {
        return new StixGenerator(seed, DEFAULT_START);
    }

    /** Number of objects returned so far. */
    public long produced()
    {
        return produced;
    }

    /** The compact JSON text of the next object. */
    public String next()
    {
        produced++;
        clock = clock.plusMillis(1 + random.nextInt(2_000));
        if (produced == 1) {
            return identity(producerId, "Vigie Synthetic Intelligence");
        }
        // Seed the pools first so that every reference has something to point to.
        if (threatActors.isEmpty()) {
            return threatActor();
        }
        if (intrusionSets.isEmpty()) {
            return intrusionSet();
        }
        if (malware.isEmpty()) {
            return malware();
        }
        if (attackPatterns.isEmpty()) {
            return attackPattern();
        }
        if (campaigns.isEmpty()) {
            return campaign();
        }
        if (indicators.isEmpty()) {
            return indicator();
        }
        int roll = random.nextInt(1_000);
        if (roll < 450) {
            return indicator();
        }
        if (roll < 700) {
            return relationship();
        }
        if (roll < 800) {
            return sighting();
        }
        if (roll < 830) {
            return indicatorNewVersion();
        }
        if (roll < 860) {
            return report();
        }
        if (roll < 885) {
            return malware();
        }
        if (roll < 905) {
            return campaign();
        }
        if (roll < 925) {
            return attackPattern();
        }
        if (roll < 945) {
            return intrusionSet();
        }
        if (roll < 960) {
            return threatActor();
        }
        if (roll < 975) {
            return identity("identity--" + uuid(), pick(ADJECTIVES) + " " + pick(SECTORS) + " operator");
        }
        return observable();
    }

    /** Writes a bundle of {@code count} generated objects, one per line, as UTF-8. */
    public void writeBundle(OutputStream out, long count)
            throws IOException
    {
        Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        writer.write("{\"type\":\"bundle\",\"id\":\"bundle--" + uuid() + "\",\"objects\":[\n");
        for (long i = 0; i < count; i++) {
            if (i > 0) {
                writer.write(",\n");
            }
            writer.write(next());
        }
        writer.write("\n]}\n");
        writer.flush();
    }

    /** The next {@code count} objects. */
    public List<String> next(int count)
    {
        List<String> objects = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            objects.add(next());
        }
        return objects;
    }

    private String identity(String id, String name)
    {
        remember(id);
        return common("identity", id, clock, clock)
                .string("name", name)
                .string("identity_class", "organization")
                .strings("sectors", List.of(pick(SECTORS)))
                .end();
    }

    private String threatActor()
    {
        String id = "threat-actor--" + uuid();
        add(threatActors, id);
        String name = pick(ADJECTIVES) + " " + pick(NOUNS);
        return sdo("threat-actor", id)
                .string("name", name)
                .strings("threat_actor_types", List.of(pick(THREAT_ACTOR_TYPES)))
                .strings("aliases", List.of(name.toUpperCase(Locale.ROOT).replace(' ', '_'), "TA" + (100 + random.nextInt(900))))
                .strings("roles", List.of("agent"))
                .string("sophistication", pick(SOPHISTICATION))
                .string("resource_level", pick(RESOURCE_LEVELS))
                .string("primary_motivation", pick(MOTIVATIONS))
                .end();
    }

    private String intrusionSet()
    {
        String id = "intrusion-set--" + uuid();
        add(intrusionSets, id);
        return sdo("intrusion-set", id)
                .string("name", "APT" + (1 + random.nextInt(99)) + " " + pick(NOUNS))
                .strings("aliases", List.of(pick(ADJECTIVES) + pick(NOUNS)))
                .string("first_seen", format(clock.minus(30 + random.nextInt(900), ChronoUnit.DAYS)))
                .strings("goals", List.of("steal intellectual property", "disrupt operations"))
                .string("resource_level", pick(RESOURCE_LEVELS))
                .string("primary_motivation", pick(MOTIVATIONS))
                .end();
    }

    private String campaign()
    {
        String id = "campaign--" + uuid();
        add(campaigns, id);
        Instant firstSeen = clock.minus(1 + random.nextInt(200), ChronoUnit.DAYS);
        return sdo("campaign", id)
                .string("name", "Operation " + pick(ADJECTIVES) + " " + pick(NOUNS))
                .string("description", "Intrusion campaign against the " + pick(SECTORS) + " sector.")
                .string("first_seen", format(firstSeen))
                .string("last_seen", format(clock))
                .string("objective", "Gain persistent access to " + pick(SECTORS) + " networks")
                .end();
    }

    private String malware()
    {
        String id = "malware--" + uuid();
        add(malware, id);
        return sdo("malware", id)
                .string("name", pick(NOUNS) + pick(List.of("Loader", "RAT", "Locker", "Stealer", "Bot")) + (random.nextInt(9) + 1))
                .strings("malware_types", List.of(pick(MALWARE_TYPES)))
                .bool("is_family", true)
                .end();
    }

    private String attackPattern()
    {
        String id = "attack-pattern--" + uuid();
        add(attackPatterns, id);
        int capec = 1 + random.nextInt(700);
        return sdo("attack-pattern", id)
                .string("name", pick(TACTICS))
                .raw("external_references", "[{\"source_name\":\"capec\",\"external_id\":\"CAPEC-" + capec + "\"}]")
                .end();
    }

    private String indicator()
    {
        String id = "indicator--" + uuid();
        int observableIndex = random.nextInt(6);
        String value = observableValue(observableIndex);
        String pattern = pattern(observableIndex, value);
        String name = switch (observableIndex) {
            case 0 -> "Malicious IPv4 address " + value;
            case 1 -> "Malicious domain " + value;
            case 2 -> "Malicious URL " + value;
            case 3 -> "Malicious file " + value.substring(0, 12);
            case 4 -> "Phishing sender " + value;
            default -> "Command and control endpoint";
        };
        IndicatorSeed seed = new IndicatorSeed(id, clock, name, pattern, pick(INDICATOR_TYPES), observableIndex);
        if (indicators.size() < POOL_SIZE) {
            indicators.add(seed);
        }
        else {
            indicators.set(random.nextInt(POOL_SIZE), seed);
        }
        remember(id);
        return indicatorText(seed, clock, 50 + random.nextInt(50));
    }

    private String indicatorNewVersion()
    {
        IndicatorSeed seed = pick(indicators);
        return indicatorText(seed, clock, random.nextInt(50));
    }

    private String indicatorText(IndicatorSeed seed, Instant modified, int confidence)
    {
        return common("indicator", seed.id(), seed.created(), modified)
                .string("name", seed.name())
                .strings("indicator_types", List.of(seed.indicatorType()))
                .string("pattern", seed.pattern())
                .string("pattern_type", "stix")
                .string("pattern_version", "2.1")
                .string("valid_from", format(seed.created()))
                .number("confidence", confidence)
                .end();
    }

    private String observable()
    {
        int observableIndex = random.nextInt(3);
        String value = observableValue(observableIndex == 2 ? 4 : observableIndex);
        String type = switch (observableIndex) {
            case 0 -> "ipv4-addr";
            case 1 -> "domain-name";
            default -> "email-addr";
        };
        // SCO ids are deterministic (UUIDv5 in STIX); a random v4 id is still valid and keeps ids unique.
        String id = type + "--" + uuid();
        remember(id);
        return new JsonText()
                .string("type", type)
                .string("spec_version", "2.1")
                .string("id", id)
                .string("value", value)
                .end();
    }

    private String relationship()
    {
        String source;
        String target;
        String relationshipType;
        int kind = random.nextInt(6);
        switch (kind) {
            case 0 -> {
                source = pick(indicators).id();
                target = pick(malware);
                relationshipType = "indicates";
            }
            case 1 -> {
                source = pick(indicators).id();
                target = random.nextBoolean() ? pick(threatActors) : pick(intrusionSets);
                relationshipType = "indicates";
            }
            case 2 -> {
                source = pick(campaigns);
                target = random.nextBoolean() ? pick(intrusionSets) : pick(threatActors);
                relationshipType = "attributed-to";
            }
            case 3 -> {
                source = pick(intrusionSets);
                target = pick(threatActors);
                relationshipType = "attributed-to";
            }
            case 4 -> {
                source = random.nextBoolean() ? pick(threatActors) : pick(intrusionSets);
                target = pick(malware);
                relationshipType = "uses";
            }
            default -> {
                source = random.nextBoolean() ? pick(campaigns) : pick(intrusionSets);
                target = pick(attackPatterns);
                relationshipType = "uses";
            }
        }
        String id = "relationship--" + uuid();
        remember(id);
        return common("relationship", id, clock, clock)
                .string("relationship_type", relationshipType)
                .string("source_ref", source)
                .string("target_ref", target)
                .end();
    }

    private String sighting()
    {
        String id = "sighting--" + uuid();
        remember(id);
        Instant firstSeen = clock.minus(1 + random.nextInt(72), ChronoUnit.HOURS);
        return common("sighting", id, clock, clock)
                .string("sighting_of_ref", pick(indicators).id())
                .number("count", 1 + random.nextInt(40))
                .string("first_seen", format(firstSeen))
                .string("last_seen", format(clock))
                .strings("where_sighted_refs", List.of(producerId))
                .end();
    }

    private String report()
    {
        String id = "report--" + uuid();
        int count = Math.min(recentIds.size(), 3 + random.nextInt(8));
        List<String> references = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String reference = pick(recentIds);
            if (!references.contains(reference)) {
                references.add(reference);
            }
        }
        remember(id);
        return sdo("report", id)
                .string("name", "Threat report: " + pick(ADJECTIVES) + " " + pick(NOUNS) + " activity")
                .strings("report_types", List.of("threat-actor", "indicator"))
                .string("published", format(clock))
                .strings("object_refs", references)
                .end();
    }

    private JsonText sdo(String type, String id)
    {
        remember(id);
        return common(type, id, clock, clock);
    }

    private JsonText common(String type, String id, Instant created, Instant modified)
    {
        JsonText text = new JsonText()
                .string("type", type)
                .string("spec_version", "2.1")
                .string("id", id);
        if (!id.equals(producerId)) {
            text.string("created_by_ref", producerId);
        }
        return text
                .string("created", format(created))
                .string("modified", format(modified));
    }

    private String observableValue(int observableIndex)
    {
        return switch (observableIndex) {
            case 0 -> (11 + random.nextInt(212)) + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
            case 1 -> domain();
            case 2 -> "https://" + domain() + "/" + word() + "/" + Integer.toHexString(random.nextInt()) + ".php";
            case 3 -> hex(64);
            case 4 -> word() + "." + word() + "@" + domain();
            default -> domain();
        };
    }

    private static String pattern(int observableIndex, String value)
    {
        String literal = "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
        return switch (observableIndex) {
            case 0 -> "[ipv4-addr:value = " + literal + "]";
            case 1 -> "[domain-name:value = " + literal + "]";
            case 2 -> "[url:value = " + literal + "]";
            case 3 -> "[file:hashes.'SHA-256' = " + literal + "]";
            case 4 -> "[email-addr:value = " + literal + "]";
            default -> "[domain-name:value = " + literal + "] OR [network-traffic:dst_port = 443]";
        };
    }

    private String domain()
    {
        return word() + (random.nextInt(4) == 0 ? "-" + word() : "") + "." + pick(TOP_LEVEL_DOMAINS);
    }

    private String word()
    {
        int length = 4 + random.nextInt(7);
        StringBuilder word = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            word.append((char) ('a' + random.nextInt(26)));
        }
        return word.toString();
    }

    private String hex(int digits)
    {
        StringBuilder text = new StringBuilder(digits);
        for (int i = 0; i < digits; i++) {
            text.append(Character.forDigit(random.nextInt(16), 16));
        }
        return text.toString();
    }

    private String uuid()
    {
        // Version 4, variant 1, from the seeded generator so that output is reproducible.
        long most = (random.nextLong() & 0xFFFFFFFFFFFF0FFFL) | 0x0000000000004000L;
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least).toString();
    }

    private void add(List<String> pool, String id)
    {
        if (pool.size() < POOL_SIZE) {
            pool.add(id);
        }
        else {
            pool.set(random.nextInt(POOL_SIZE), id);
        }
    }

    private void remember(String id)
    {
        add(recentIds, id);
    }

    private <T> T pick(List<T> values)
    {
        return values.get(random.nextInt(values.size()));
    }

    private static String format(Instant instant)
    {
        return TIMESTAMP.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }
}
