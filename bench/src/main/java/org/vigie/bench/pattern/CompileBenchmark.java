package org.vigie.bench.pattern;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.vigie.pattern.CompiledPattern;
import org.vigie.pattern.generate.PatternCorpus;
import org.vigie.pattern.match.BulkMatcher;
import org.vigie.pattern.match.Indicator;
import org.vigie.pattern.match.MatcherOptions;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Compilation: {@code parseAndCompile} parses and compiles one pattern of the target mix (patterns per
 * second; target 100,000/s); {@code loadHundredThousand} parses, compiles and indexes 100,000
 * indicators into a fresh matcher (reported per indicator).
 */
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
public class CompileBenchmark
{
    private static final int LOAD = 100_000;

    @State(Scope.Benchmark)
    public static class Patterns
    {
        String[] patterns;
        int next;

        @Setup(Level.Trial)
        public void setUp()
        {
            patterns = PatternCorpus.patterns(LOAD, 99L).toArray(String[]::new);
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public CompiledPattern parseAndCompile(Patterns state)
    {
        return CompiledPattern.parse(state.patterns[state.next++ % state.patterns.length]);
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @OperationsPerInvocation(LOAD)
    @Warmup(iterations = 2, batchSize = 1)
    @Measurement(iterations = 3, batchSize = 1)
    public BulkMatcher loadHundredThousand(Patterns state)
    {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        BulkMatcher matcher = BulkMatcher.create(() -> now, MatcherOptions.DEFAULT);
        List<String> patterns = List.of(state.patterns);
        for (int i = 0; i < patterns.size(); i++) {
            matcher.upsert(new Indicator("indicator--" + new java.util.UUID(2, i), now, CompiledPattern.parse(patterns.get(i)), Optional.empty(), Optional.empty(), false));
        }
        return matcher;
    }
}
