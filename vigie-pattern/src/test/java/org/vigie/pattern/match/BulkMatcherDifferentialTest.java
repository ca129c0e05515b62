package org.vigie.pattern.match;

import org.junit.jupiter.api.Test;
import org.vigie.pattern.CompiledPattern;
import org.vigie.pattern.Fixtures;
import org.vigie.pattern.Observation;
import org.vigie.pattern.PatternMatch;
import org.vigie.stix.Timestamps;
import org.vigie.stix.json.StixJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Differential fuzzing: the indexed bulk matcher and the naive evaluator must report the same matches
 * for every observation of random streams, while indicators are added, replaced, revoked and expire.
 * The naive side evaluates each indicator over the whole history since its current version was added
 * and keeps the matches that include the newest observation; streams are short enough that the
 * matcher's bounded state never evicts (eviction has its own test).
 */
class BulkMatcherDifferentialTest
{
    private static final Instant NOW = Instant.parse("2024-03-01T12:00:00Z");

    @Test
    void bulkMatcherAgreesWithNaiveEvaluator()
    {
        compare(1, 40, 150, 14);
    }

    /** Fewer streams, many more indicators: index buckets shared by many indicators. */
    @Test
    void bulkMatcherAgreesWithNaiveEvaluatorOnLargeIndicatorSets()
    {
        compare(1_000, 1_001, 4_000, 40);
    }

    private static void compare(long firstSeed, long lastSeed, int indicatorCount, int steps)
    {
        long totalMatches = 0;
        long comparedObservations = 0;
        for (long seed = firstSeed; seed <= lastSeed; seed++) {
            Random random = new Random(seed);
            RandomStix stix = new RandomStix(random);
            MutableClock clock = new MutableClock(NOW);
            BulkMatcher matcher = BulkMatcher.create(clock, new MatcherOptions(64, Duration.ofDays(1)));
            Map<String, Reference> reference = new HashMap<>();
            Map<String, Integer> versions = new HashMap<>();

            List<Observation> history = new ArrayList<>();
            for (int i = 0; i < indicatorCount; i++) {
                upsert(matcher, reference, indicatorId(i), stix.pattern(), 1, random, history.size());
                versions.put(indicatorId(i), 1);
            }
            for (int step = 0; step < steps; step++) {
                // Indicator churn between observations: new versions, revocations, stale versions.
                for (int change = 0; change < 3; change++) {
                    int which = random.nextInt(indicatorCount);
                    String id = indicatorId(which);
                    int version = versions.getOrDefault(id, 1);
                    switch (random.nextInt(4)) {
                        case 0 -> {
                            upsert(matcher, reference, id, stix.pattern(), version + 1, random, history.size());
                            versions.put(id, version + 1);
                        }
                        case 1 -> {
                            matcher.upsert(indicator(id, "[file:name = 'x']", version + 1, true, null));
                            versions.put(id, version + 1);
                            reference.remove(id);
                        }
                        case 2 -> {
                            // An older (or the same) version must not replace the current one.
                            if (versions.containsKey(id)) {
                                assertThat(matcher.upsert(indicator(id, stix.pattern(), Math.max(1, version - 1), false, null)))
                                        .isEqualTo(BulkMatcher.UpsertResult.IGNORED_NOT_NEWER);
                            }
                        }
                        default -> {
                            matcher.remove(id);
                            reference.remove(id);
                            versions.remove(id);
                        }
                    }
                }
                Instant first = Instant.parse("2024-03-01T10:00:00Z").plusSeconds(step * 7L + random.nextInt(7));
                // One in three observations spans an interval, so that the timing rules meet overlapping intervals.
                Instant last = random.nextInt(3) == 0 ? first.plusSeconds(1 + random.nextInt(30)) : first;
                List<String> scos = stix.scos("seed" + seed + "step" + step);
                String observedId = "observed-data--" + java.util.UUID.nameUUIDFromBytes(("s" + seed + "o" + step).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                Observation observation = Observation.fromObjects(Fixtures.observedData(observedId, Timestamps.format(first), Timestamps.format(last), 1 + random.nextInt(2),
                        scos.toArray(String[]::new))).get(0);
                history.add(observation);

                TreeSet<String> actual = new TreeSet<>();
                for (Match match : matcher.match(observation)) {
                    actual.add(match.indicatorId() + " " + match.match().observedDataIds());
                }
                TreeSet<String> expected = new TreeSet<>();
                for (Map.Entry<String, Reference> entry : reference.entrySet()) {
                    Reference indicator = entry.getValue();
                    if (indicator.validUntil != null && !NOW.isBefore(indicator.validUntil)) {
                        continue;
                    }
                    List<Observation> since = history.subList(indicator.since, history.size());
                    for (PatternMatch match : indicator.pattern.evaluate(since)) {
                        if (match.observedDataIds().contains(observation.id())) {
                            expected.add(entry.getKey() + " " + match.observedDataIds());
                        }
                    }
                }
                assertThat(actual).as("seed %s, step %s, observation %s", seed, step, scos).isEqualTo(expected);
                totalMatches += expected.size();
                comparedObservations++;
            }
        }
        // The vocabulary is small on purpose: the comparison must have seen many matches, not only silence.
        assertThat(totalMatches).isGreaterThan(comparedObservations);
    }

    private static void upsert(BulkMatcher matcher, Map<String, Reference> reference, String id, String pattern, int version, Random random, int since)
    {
        // One indicator in ten is already expired by the clock, one in ten expires later.
        Instant validUntil = switch (random.nextInt(10)) {
            case 0 -> NOW.minusSeconds(1);
            case 1 -> NOW.plusSeconds(3600);
            default -> null;
        };
        BulkMatcher.UpsertResult result = matcher.upsert(indicator(id, pattern, version, false, validUntil));
        assertThat(result).isIn(BulkMatcher.UpsertResult.ADDED, BulkMatcher.UpsertResult.REPLACED);
        reference.put(id, new Reference(CompiledPattern.parse(pattern), version, since, validUntil));
    }

    static JsonNode indicator(String id, String pattern, int version, boolean revoked, Instant validUntil)
    {
        ObjectNode indicator = StixJson.mapper().createObjectNode();
        indicator.put("type", "indicator");
        indicator.put("spec_version", "2.1");
        indicator.put("id", id);
        indicator.put("created", "2024-01-01T00:00:00.000Z");
        indicator.put("modified", Timestamps.format(Instant.parse("2024-01-01T00:00:00Z").plusSeconds(version)));
        indicator.put("pattern", pattern);
        indicator.put("pattern_type", "stix");
        indicator.put("valid_from", "2024-01-01T00:00:00.000Z");
        if (validUntil != null) {
            indicator.put("valid_until", Timestamps.format(validUntil));
        }
        if (revoked) {
            indicator.put("revoked", true);
        }
        return indicator;
    }

    static String indicatorId(int index)
    {
        return "indicator--" + java.util.UUID.nameUUIDFromBytes(("indicator" + index).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private record Reference(CompiledPattern pattern, int version, int since, Instant validUntil) {}

    /** A clock tests move by hand. */
    static final class MutableClock
            implements InstantSource
    {
        private volatile Instant now;

        MutableClock(Instant now)
        {
            this.now = now;
        }

        void advance(Duration duration)
        {
            now = now.plus(duration);
        }

        @Override
        public Instant instant()
        {
            return now;
        }
    }
}
