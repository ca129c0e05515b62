package org.vigie.pattern.generate;

import org.vigie.pattern.Observation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * Seeded indicator patterns and observations in the mix of the matching targets: 89 % equality on
 * ipv4-addr, domain-name, url and file hashes; 10 % LIKE, MATCHES and ISSUBSET; 1 % stateful
 * ({@code FOLLOWEDBY ... WITHIN}). Observations use the same value spaces, so that about one in ten
 * may hit an indicator; a planted observation is built from one indicator's value and always matches it.
 * The same seed gives the same corpus, so JMH and {@code vigie bench} figures stay comparable.
 */
public final class PatternCorpus
{
    private PatternCorpus() {}

    /** Which part of the mix a pattern belongs to. */
    public enum Kind
    {
        EQUALITY,
        TEXT_OR_NETWORK,
        STATEFUL
    }

    /** A value that satisfies a stateless pattern on its own: the flattened key and the value under it. */
    public record Value(String key, String value)
    {
        public Value
        {
            requireNonNull(key, "key is null");
            requireNonNull(value, "value is null");
        }
    }

    /** One generated pattern, its kind and, for a stateless one, a value that matches it. */
    public record Entry(String pattern, Kind kind, Optional<Value> matching)
    {
        public Entry
        {
            requireNonNull(pattern, "pattern is null");
            requireNonNull(kind, "kind is null");
            requireNonNull(matching, "matching is null");
        }
    }

    public static List<String> patterns(int count, long seed)
    {
        return entries(count, seed).stream().map(Entry::pattern).toList();
    }

    public static List<Entry> entries(int count, long seed)
    {
        Random random = new Random(seed);
        List<Entry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int kind = random.nextInt(100);
            int n = random.nextInt(Math.max(count, 1_000));
            if (kind < 89) {
                entries.add(switch (kind % 5) {
                    case 0 -> equality("ipv4-addr:value", "ipv4-addr:value", address(n));
                    case 1 -> equality("domain-name:value", "domain-name:value", domain(n));
                    case 2 -> equality("url:value", "url:value", url(n));
                    case 3 -> equality("file:hashes.MD5", "file:hashes.MD5", hex(random, 32));
                    default -> equality("file:hashes.'SHA-256'", "file:hashes.SHA-256", hex(random, 64));
                });
            }
            else if (kind < 99) {
                entries.add(switch (kind % 4) {
                    case 0 -> text("[domain-name:value LIKE '%.zone" + n + ".example']", "domain-name:value", "host.zone" + n + ".example");
                    case 1 -> text("[url:value LIKE 'http://drop" + n + ".example/%']", "url:value", "http://drop" + n + ".example/planted");
                    case 2 -> text("[url:value MATCHES '^https?://[a-z]+\\\\.kit" + n + "\\\\.example/']", "url:value", "https://www.kit" + n + ".example/");
                    default -> {
                        String block = (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255);
                        yield text("[ipv4-addr:value ISSUBSET '" + block + ".0/24']", "ipv4-addr:value", block + ".7");
                    }
                });
            }
            else {
                entries.add(new Entry("([ipv4-addr:value = '" + address(n) + "'] FOLLOWEDBY [domain-name:value = '" + domain(n) + "']) WITHIN 300 SECONDS",
                        Kind.STATEFUL, Optional.empty()));
            }
        }
        return entries;
    }

    /** Observations, flattened once: each one SCO of the four kinds; about one in ten uses a value of an indicator. */
    public static Observation[] observations(int count, int indicatorCount, long seed)
    {
        Random random = new Random(seed);
        Observation[] observations = new Observation[count];
        Instant time = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < count; i++) {
            // Values of n below the indicator count may be indicators; others never are.
            int n = random.nextInt(10) == 0 ? random.nextInt(Math.max(indicatorCount, 1_000)) : Integer.MAX_VALUE - random.nextInt(1 << 20);
            Map<String, List<Object>> values = new HashMap<>();
            switch (random.nextInt(4)) {
                case 0 -> values.put("ipv4-addr:value", List.of(address(n)));
                case 1 -> values.put("domain-name:value", List.of(random.nextInt(20) == 0 ? "host.zone" + n + ".example" : domain(n)));
                case 2 -> values.put("url:value", List.of(random.nextInt(20) == 0 ? "https://www.kit" + n + ".example/" : url(n)));
                default -> {
                    values.put("file:hashes", List.of(Observation.CONTAINER));
                    values.put("file:hashes.MD5", List.of(hex(random, 32)));
                    values.put("file:hashes.SHA-256", List.of(hex(random, 64)));
                    values.put("file:name", List.of("file" + n + ".exe"));
                }
            }
            observations[i] = Observation.ofValues("observed-data--" + new UUID(seed, i), time.plusSeconds(i), time.plusSeconds(i), 1, values);
        }
        return observations;
    }

    /** An observation carrying the value that matches a stateless entry. */
    public static Observation planted(Value value, String id, Instant time)
    {
        Map<String, List<Object>> values = new HashMap<>();
        values.put(value.key(), List.of(value.value()));
        if (value.key().startsWith("file:hashes.")) {
            values.put("file:hashes", List.of(Observation.CONTAINER));
        }
        return Observation.ofValues(id, time, time, 1, values);
    }

    public static String address(int n)
    {
        return (n >>> 24 & 255) + "." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255);
    }

    public static String domain(int n)
    {
        return "host" + n + ".example.com";
    }

    public static String url(int n)
    {
        return "http://site" + n + ".example.net/path/index.php?id=" + n;
    }

    private static Entry equality(String path, String key, String value)
    {
        return new Entry("[" + path + " = '" + value + "']", Kind.EQUALITY, Optional.of(new Value(key, value)));
    }

    private static Entry text(String pattern, String key, String value)
    {
        return new Entry(pattern, Kind.TEXT_OR_NETWORK, Optional.of(new Value(key, value)));
    }

    private static String hex(Random random, int digits)
    {
        StringBuilder text = new StringBuilder(digits);
        for (int i = 0; i < digits; i++) {
            text.append(Character.forDigit(random.nextInt(16), 16));
        }
        return text.toString();
    }
}
