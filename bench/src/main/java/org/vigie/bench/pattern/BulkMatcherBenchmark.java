package org.vigie.bench.pattern;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.vigie.pattern.CompiledPattern;
import org.vigie.pattern.Observation;
import org.vigie.pattern.generate.PatternCorpus;
import org.vigie.pattern.match.BulkMatcher;
import org.vigie.pattern.match.Indicator;
import org.vigie.pattern.match.Match;
import org.vigie.pattern.match.MatcherOptions;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Observations through the bulk matcher, with 10k, 100k or 1M indicators of the target mix
 * ({@link PatternCorpus}). {@code matchThroughput}: observations per second (run with -t 1 and -t 2);
 * {@code matchLatency}: sampled time per observation (p99 target under 50 us). Observations are
 * flattened beforehand: this measures matching, not JSON parsing.
 */
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
public class BulkMatcherBenchmark
{
    @State(Scope.Benchmark)
    public static class Matcher
    {
        @Param({"10000", "100000", "1000000"})
        public int indicators;

        BulkMatcher matcher;
        Observation[] observations;

        @Setup(Level.Trial)
        public void setUp()
        {
            Instant now = Instant.parse("2026-01-01T00:00:00Z");
            matcher = BulkMatcher.create(() -> now, MatcherOptions.DEFAULT);
            List<String> patterns = PatternCorpus.patterns(indicators, 20260101L);
            for (int i = 0; i < patterns.size(); i++) {
                matcher.upsert(new Indicator("indicator--" + new java.util.UUID(1, i), now, CompiledPattern.parse(patterns.get(i)), Optional.empty(), Optional.empty(), false));
            }
            observations = PatternCorpus.observations(1 << 14, indicators, 7L);
        }
    }

    @State(Scope.Thread)
    public static class Cursor
    {
        int next;
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public List<Match> matchThroughput(Matcher state, Cursor cursor)
    {
        return state.matcher.match(state.observations[cursor.next++ & (state.observations.length - 1)]);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public List<Match> matchLatency(Matcher state, Cursor cursor)
    {
        return state.matcher.match(state.observations[cursor.next++ & (state.observations.length - 1)]);
    }
}
