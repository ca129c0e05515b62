package org.vigie.bench.pattern;

import org.vigie.pattern.CompiledPattern;
import org.vigie.pattern.Observation;
import org.vigie.pattern.ObservationExpression;
import org.vigie.pattern.PatternParser;
import org.vigie.pattern.generate.PatternCorpus;
import org.vigie.pattern.match.BulkMatcher;
import org.vigie.pattern.match.Indicator;
import org.vigie.pattern.match.MatcherOptions;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Thread CPU time (not wall time) per compiled indicator and per matched observation, for a shared
 * and overloaded machine where JMH wall-clock scores mostly measure the other tenants. Same corpus as
 * the JMH benchmarks. Run: {@code java -cp benchmarks.jar org.vigie.bench.pattern.PatternCpuTime [indicators]}.
 */
public final class PatternCpuTime
{
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private PatternCpuTime() {}

    public static void main(String[] args)
    {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        List<String> patterns = PatternCorpus.patterns(count, 20260101L);
        BulkMatcher matcher = null;
        for (int round = 0; round < 3; round++) {
            long start = cpu();
            List<ObservationExpression> parsed = new ArrayList<>(count);
            for (String pattern : patterns) {
                parsed.add(PatternParser.parse(pattern));
            }
            long afterParse = cpu();
            List<CompiledPattern> compiled = new ArrayList<>(count);
            for (ObservationExpression expression : parsed) {
                compiled.add(CompiledPattern.compile(expression));
            }
            long afterCompile = cpu();
            matcher = BulkMatcher.create(() -> now, MatcherOptions.DEFAULT);
            for (int i = 0; i < count; i++) {
                matcher.upsert(new Indicator("indicator--" + new UUID(1, i), now, compiled.get(i), Optional.empty(), Optional.empty(), false));
            }
            long afterIndex = cpu();
            System.out.printf("round %d, %d indicators: parse %.2f us, compile %.2f us, index %.2f us per indicator (thread CPU)%n", round, count,
                    (afterParse - start) / 1e3 / count, (afterCompile - afterParse) / 1e3 / count, (afterIndex - afterCompile) / 1e3 / count);
        }
        Observation[] observations = PatternCorpus.observations(1 << 14, count, 7L);
        for (int round = 0; round < 6; round++) {
            long start = cpu();
            long matches = 0;
            for (int repeat = 0; repeat < 5; repeat++) {
                for (Observation observation : observations) {
                    matches += matcher.match(observation).size();
                }
            }
            double perObservation = (cpu() - start) / 1e3 / observations.length / 5;
            System.out.printf("round %d: %.3f us per observation (thread CPU), %.0f observations/s per core, %d matches%n", round, perObservation, 1e6 / perObservation, matches);
        }
    }

    private static long cpu()
    {
        return THREADS.getCurrentThreadCpuTime();
    }
}
