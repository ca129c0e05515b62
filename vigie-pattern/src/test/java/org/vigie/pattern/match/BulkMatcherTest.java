package org.vigie.pattern.match;

import org.junit.jupiter.api.Test;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.pattern.Fixtures;
import org.vigie.pattern.Observation;
import org.vigie.stix.Timestamps;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vigie.pattern.match.BulkMatcherDifferentialTest.indicator;
import static org.vigie.pattern.match.BulkMatcherDifferentialTest.indicatorId;

class BulkMatcherTest
{
    private static final Instant NOW = Instant.parse("2024-03-01T12:00:00Z");

    private static Observation observation(int index, Instant time, String... scos)
    {
        String id = "observed-data--" + java.util.UUID.nameUUIDFromBytes(("observation" + index).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return Observation.fromObjects(Fixtures.observedData(id, Timestamps.format(time), 1, scos)).get(0);
    }

    private static List<String> ids(List<Match> matches)
    {
        return matches.stream().map(Match::indicatorId).toList();
    }

    @Test
    void versionsReplaceRevocationsRemoveAndStaleVersionsAreIgnored()
    {
        BulkMatcher matcher = BulkMatcher.create(() -> NOW, MatcherOptions.DEFAULT);
        String id = indicatorId(1);
        Observation first = observation(1, NOW, "{\"type\":\"domain-name\",\"value\":\"a.example\"}");
        Observation second = observation(2, NOW, "{\"type\":\"domain-name\",\"value\":\"b.example\"}");

        assertThat(matcher.upsert(indicator(id, "[domain-name:value = 'a.example']", 1, false, null))).isEqualTo(BulkMatcher.UpsertResult.ADDED);
        assertThat(ids(matcher.match(first))).containsExactly(id);
        assertThat(matcher.match(second)).isEmpty();

        assertThat(matcher.upsert(indicator(id, "[domain-name:value = 'b.example']", 2, false, null))).isEqualTo(BulkMatcher.UpsertResult.REPLACED);
        assertThat(matcher.match(first)).isEmpty();
        assertThat(ids(matcher.match(second))).containsExactly(id);

        assertThat(matcher.upsert(indicator(id, "[domain-name:value = 'a.example']", 1, false, null))).isEqualTo(BulkMatcher.UpsertResult.IGNORED_NOT_NEWER);
        assertThat(ids(matcher.match(second))).containsExactly(id);

        assertThat(matcher.upsert(indicator(id, "[domain-name:value = 'b.example']", 3, true, null))).isEqualTo(BulkMatcher.UpsertResult.REVOKED);
        assertThat(matcher.match(second)).isEmpty();
        assertThat(matcher.size()).isZero();
        // A revocation is final for older versions too.
        assertThat(matcher.upsert(indicator(id, "[domain-name:value = 'b.example']", 2, false, null))).isEqualTo(BulkMatcher.UpsertResult.IGNORED_NOT_NEWER);
    }

    @Test
    void expiredIndicatorsNeverMatchAndAreRemoved()
    {
        BulkMatcherDifferentialTest.MutableClock clock = new BulkMatcherDifferentialTest.MutableClock(NOW);
        BulkMatcher matcher = BulkMatcher.create(clock, MatcherOptions.DEFAULT);
        String id = indicatorId(2);
        matcher.upsert(indicator(id, "[ipv4-addr:value ISSUBSET '10.0.0.0/8']", 1, false, NOW.plusSeconds(60)));
        Observation observation = observation(3, NOW, "{\"type\":\"ipv4-addr\",\"value\":\"10.1.2.3\"}");
        assertThat(ids(matcher.match(observation))).containsExactly(id);
        assertThat(matcher.removeExpired()).isZero();

        clock.advance(Duration.ofSeconds(60));
        assertThat(matcher.match(observation)).isEmpty();
        assertThat(matcher.removeExpired()).isEqualTo(1);
        assertThat(matcher.size()).isZero();
    }

    @Test
    void statefulIndicatorsKeepBoundedStateAndEvictByClock()
    {
        BulkMatcherDifferentialTest.MutableClock clock = new BulkMatcherDifferentialTest.MutableClock(NOW);
        BulkMatcher matcher = BulkMatcher.create(clock, new MatcherOptions(2, Duration.ofMinutes(10)));
        String id = indicatorId(3);
        matcher.upsert(indicator(id, "[domain-name:value = 'a.example'] FOLLOWEDBY [domain-name:value = 'b.example']", 1, false, null));
        String a = "{\"type\":\"domain-name\",\"value\":\"a.example\"}";
        String b = "{\"type\":\"domain-name\",\"value\":\"b.example\"}";

        Observation firstA = observation(10, NOW, a);
        assertThat(matcher.match(firstA)).isEmpty();
        List<Match> matches = matcher.match(observation(11, NOW.plusSeconds(1), b));
        assertThat(matches).hasSize(1);
        assertThat(matches.get(0).match().observedDataIds()).containsExactly(firstA.id(), observation(11, NOW.plusSeconds(1), b).id());

        // Capacity 2: a third relevant observation evicts the first a, so the next b only pairs with nothing.
        matcher.match(observation(12, NOW.plusSeconds(2), b));
        assertThat(matcher.match(observation(13, NOW.plusSeconds(3), b))).isEmpty();

        // Retention by the injected clock: an a observed more than ten minutes of clock time ago is forgotten.
        matcher.match(observation(14, NOW.plusSeconds(4), a));
        clock.advance(Duration.ofMinutes(11));
        assertThat(matcher.match(observation(15, NOW.plusSeconds(5), b))).isEmpty();
        matcher.match(observation(16, NOW.plusSeconds(6), a));
        assertThat(matcher.match(observation(17, NOW.plusSeconds(7), b))).hasSize(1);
    }

    @Test
    void withinBoundsRetention()
    {
        BulkMatcherDifferentialTest.MutableClock clock = new BulkMatcherDifferentialTest.MutableClock(NOW);
        BulkMatcher matcher = BulkMatcher.create(clock, new MatcherOptions(16, Duration.ofDays(1)));
        String id = indicatorId(4);
        matcher.upsert(indicator(id, "[file:name = 'x'] REPEATS 2 TIMES WITHIN 30 SECONDS", 1, false, null));
        String file = "{\"type\":\"file\",\"name\":\"x\"}";
        matcher.match(observation(20, NOW, file));
        clock.advance(Duration.ofSeconds(31));
        // The first observation left the state with the 30-second window, whatever its timestamps say.
        assertThat(matcher.match(observation(21, NOW, file))).isEmpty();
        assertThat(matcher.match(observation(22, NOW.plusSeconds(10), file))).hasSize(1);
    }

    @Test
    void repeatsOverAFullWindowStillReportsRecentMatches()
    {
        // 32 observations of a REPEATS 5 pattern have more combinations than the evaluator's budget:
        // the matcher falls back to the most recent observations and still reports a match of five.
        BulkMatcher matcher = BulkMatcher.create(() -> NOW, new MatcherOptions(32, Duration.ofDays(1)));
        String id = indicatorId(7);
        matcher.upsert(indicator(id, "[file:name = 'x'] REPEATS 5 TIMES", 1, false, null));
        List<Match> last = List.of();
        for (int i = 0; i < 32; i++) {
            last = matcher.match(observation(200 + i, NOW.plusSeconds(i), "{\"type\":\"file\",\"name\":\"x\"}"));
        }
        assertThat(last).isNotEmpty();
        assertThat(last).allSatisfy(match -> {
            assertThat(match.match().observedDataIds()).hasSize(5);
            assertThat(match.match().observedDataIds()).contains(observation(231, NOW.plusSeconds(31), "{\"type\":\"file\",\"name\":\"x\"}").id());
        });
    }

    @Test
    void invalidIndicatorsAreRejectedWithTheirId()
    {
        BulkMatcher matcher = BulkMatcher.create(() -> NOW, MatcherOptions.DEFAULT);
        String id = indicatorId(5);
        assertThatThrownBy(() -> matcher.upsert(indicator(id, "[file:name = ", 1, false, null)))
                .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PATTERN))
                .hasMessageContaining(id)
                .hasMessageContaining("column");
        assertThat(matcher.size()).isZero();
    }

    @Test
    void indexSendsOnlyPossibleCandidatesToVerification()
    {
        // 2,000 equality indicators on distinct addresses: an observation matches exactly its own.
        BulkMatcher matcher = BulkMatcher.create(() -> NOW, MatcherOptions.DEFAULT);
        for (int i = 0; i < 2_000; i++) {
            matcher.upsert(indicator(indicatorId(1000 + i), "[ipv4-addr:value = '10.0." + (i / 250) + "." + (i % 250) + "']", 1, false, null));
        }
        Random random = new Random(7);
        for (int round = 0; round < 50; round++) {
            int i = random.nextInt(2_000);
            List<Match> matches = matcher.match(observation(100 + round, NOW, "{\"type\":\"ipv4-addr\",\"value\":\"10.0." + (i / 250) + "." + (i % 250) + "\"}"));
            assertThat(ids(matches)).containsExactly(indicatorId(1000 + i));
        }
    }

    @Test
    void concurrentMatchingDuringUpdatesNeverSeesAHalfReplacedIndicator()
            throws Exception
    {
        BulkMatcher matcher = BulkMatcher.create(() -> NOW, MatcherOptions.DEFAULT);
        String id = indicatorId(6);
        // Every version matches the same observation: a reader must see exactly one match at all times.
        matcher.upsert(indicator(id, "[domain-name:value = 'a.example']", 1, false, null));
        Observation observation = observation(30, NOW, "{\"type\":\"domain-name\",\"value\":\"a.example\"}");
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            Future<Integer> reader = executor.submit(() -> {
                start.await();
                int wrong = 0;
                for (int i = 0; i < 20_000; i++) {
                    if (matcher.match(observation).size() != 1) {
                        wrong++;
                    }
                }
                return wrong;
            });
            Future<?> writer = executor.submit(() -> {
                start.await();
                for (int version = 2; version < 2_000; version++) {
                    String pattern = version % 2 == 0 ? "[domain-name:value LIKE 'a.%']" : "[domain-name:value = 'a.example' OR domain-name:value MATCHES 'exam']";
                    matcher.upsert(indicator(id, pattern, version, false, null));
                }
                return null;
            });
            start.countDown();
            writer.get(60, TimeUnit.SECONDS);
            assertThat(reader.get(60, TimeUnit.SECONDS)).isZero();
        }
        finally {
            executor.shutdownNow();
        }
        assertThat(matcher.size()).isEqualTo(1);
        assertThat(new ArrayList<>(ids(matcher.match(observation)))).containsExactly(id);
    }
}
