package org.vigie.bench.pattern;

import org.vigie.pattern.Observation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded indicator patterns and observations for the pattern benchmarks, in the mix the targets name:
 * 89% equality on ipv4-addr, domain-name, url and file hashes; 10% LIKE, MATCHES and ISSUBSET;
 * 1% stateful (FOLLOWEDBY ... WITHIN). Observations use the same value spaces, so that about one in
 * ten hits an indicator.
 */
final class PatternCorpus
{
    private PatternCorpus() {}

    static List<String> patterns(int count, long seed)
    {
        Random random = new Random(seed);
        List<String> patterns = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int kind = random.nextInt(100);
            int n = random.nextInt(Math.max(count, 1_000));
            if (kind < 89) {
                patterns.add(switch (kind % 5) {
                    case 0 -> "[ipv4-addr:value = '" + address(n) + "']";
                    case 1 -> "[domain-name:value = '" + domain(n) + "']";
                    case 2 -> "[url:value = '" + url(n) + "']";
                    case 3 -> "[file:hashes.MD5 = '" + hex(random, 32) + "']";
                    default -> "[file:hashes.'SHA-256' = '" + hex(random, 64) + "']";
                });
            }
            else if (kind < 99) {
                patterns.add(switch (kind % 4) {
                    case 0 -> "[domain-name:value LIKE '%." + "zone" + n + ".example']";
                    case 1 -> "[url:value LIKE 'http://drop" + n + ".example/%']";
                    case 2 -> "[url:value MATCHES '^https?://[a-z]+\\\\.kit" + n + "\\\\.example/']";
                    default -> "[ipv4-addr:value ISSUBSET '" + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255) + ".0/24']";
                });
            }
            else {
                patterns.add("([ipv4-addr:value = '" + address(n) + "'] FOLLOWEDBY [domain-name:value = '" + domain(n) + "']) WITHIN 300 SECONDS");
            }
        }
        return patterns;
    }

    /** Observations, flattened once: each one SCO of the four kinds; about one in ten uses a value of an indicator. */
    static Observation[] observations(int count, int indicatorCount, long seed)
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
            observations[i] = Observation.ofValues("observed-data--" + new java.util.UUID(seed, i), time.plusSeconds(i), time.plusSeconds(i), 1, values);
        }
        return observations;
    }

    static String address(int n)
    {
        return (n >>> 24 & 255) + "." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255);
    }

    static String domain(int n)
    {
        return "host" + n + ".example.com";
    }

    static String url(int n)
    {
        return "http://site" + n + ".example.net/path/index.php?id=" + n;
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
