package org.vigie.node.bench;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.pattern.CompiledPattern;
import org.vigie.pattern.Observation;
import org.vigie.pattern.generate.PatternCorpus;
import org.vigie.pattern.match.BulkMatcher;
import org.vigie.pattern.match.Indicator;
import org.vigie.pattern.match.Match;
import org.vigie.pattern.match.MatcherOptions;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static java.util.Objects.requireNonNull;

/**
 * {@code vigie bench --only match}: the bulk matcher with generated indicators in the mix of the targets
 * ({@link PatternCorpus}, the generator the JMH benchmarks use). Compiles them (indicators per second),
 * measures the heap the loaded matcher retains per indicator, then streams generated observations
 * through it on each requested number of threads: observations per second (wall and per CPU second) and
 * the latency of each {@code match} call. One in a hundred observations of the stream is planted: it
 * carries the value of a stateless indicator, which must be reported. Observations are flattened
 * beforehand and cycled from a pool, so this measures matching, not JSON parsing.
 */
public final class MatchBenchmark
{
    /** Indicators the JMH benchmarks use the same seed for, so both measure the same corpus. */
    public static final long INDICATOR_SEED = 20260101L;
    private static final long OBSERVATION_SEED = 7L;
    private static final int POOL = 1 << 16;
    private static final int PLANT_EVERY = 100;
    private static final long WARM_UP = 500_000;
    public static final long MAXIMUM_OBSERVATIONS = 50_000_000;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final PrintStream out;
    private final InstantSource clock;

    public MatchBenchmark(PrintStream out, InstantSource clock)
    {
        this.out = requireNonNull(out, "out is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * Generation, compilation and memory. The patterns are compiled twice: first in a fresh JVM (parser
     * code not yet compiled by the JIT), then again; the second round is the one loaded into the index.
     */
    public record Load(int indicators, Map<PatternCorpus.Kind, Integer> mix, Timing coldCompile, Timing compile, Timing index, double bytesPerIndicator)
    {
        public Load
        {
            requireNonNull(mix, "mix is null");
            requireNonNull(coldCompile, "coldCompile is null");
            requireNonNull(compile, "compile is null");
            requireNonNull(index, "index is null");
            mix = Map.copyOf(mix);
        }
    }

    /** Wall and calling-thread CPU time of one step over every indicator. */
    public record Timing(int indicators, double seconds, double cpuSeconds)
    {
        public double perSecond()
        {
            return indicators / seconds;
        }

        public double perCpuSecond()
        {
            return indicators / cpuSeconds;
        }

        String describe()
        {
            return String.format("%.2f s = %,.0f indicators/s (%,.0f per CPU second)", seconds, perSecond(), perCpuSecond());
        }
    }

    /** One stream through the matcher on {@code threads} threads. */
    public record Run(int threads, long observations, double seconds, double cpuSeconds, long matchedObservations, long matches, long planted, long plantedFound,
            double p50Micros, double p99Micros, double p999Micros)
    {
        public double observationsPerSecond()
        {
            return observations / seconds;
        }

        public double observationsPerCpuSecond()
        {
            return observations / cpuSeconds;
        }
    }

    public record Figures(Load load, List<Run> runs)
    {
        public Figures
        {
            requireNonNull(load, "load is null");
            runs = List.copyOf(runs);
        }
    }

    public Figures run(int indicatorCount, long observationCount, List<Integer> threadCounts)
            throws InterruptedException
    {
        checkSettings(indicatorCount, observationCount, threadCounts);
        long generateStart = System.nanoTime();
        List<PatternCorpus.Entry> entries = PatternCorpus.entries(indicatorCount, INDICATOR_SEED);
        Map<PatternCorpus.Kind, Integer> mix = new EnumMap<>(PatternCorpus.Kind.class);
        for (PatternCorpus.Entry entry : entries) {
            mix.merge(entry.kind(), 1, Integer::sum);
        }
        String[] ids = new String[indicatorCount];
        for (int i = 0; i < indicatorCount; i++) {
            ids[i] = "indicator--" + new UUID(1, i);
        }
        out.printf("match: %,d indicators generated (%,d equality, %,d LIKE/MATCHES/ISSUBSET, %,d FOLLOWEDBY/WITHIN) in %.1f s%n", indicatorCount,
                mix.getOrDefault(PatternCorpus.Kind.EQUALITY, 0), mix.getOrDefault(PatternCorpus.Kind.TEXT_OR_NETWORK, 0), mix.getOrDefault(PatternCorpus.Kind.STATEFUL, 0),
                (System.nanoTime() - generateStart) / 1e9);

        // The baseline holds the pattern texts and ids, so the difference is what the matcher adds.
        long heapBefore = usedHeapAfterCollection();
        Timing coldCompile = time(indicatorCount, () -> compileAll(entries));
        CompiledPattern[][] compiled = new CompiledPattern[1][];
        Timing compile = time(indicatorCount, () -> compiled[0] = compileAll(entries));
        Instant version = clock.instant();
        BulkMatcher matcher = BulkMatcher.create(clock, MatcherOptions.DEFAULT);
        Timing index = time(indicatorCount, () -> {
            for (int i = 0; i < indicatorCount; i++) {
                matcher.upsert(new Indicator(ids[i], version, compiled[0][i], Optional.empty(), Optional.empty(), false));
            }
        });
        compiled[0] = null;
        double bytesPerIndicator = (usedHeapAfterCollection() - heapBefore) / (double) indicatorCount;
        if (matcher.size() != indicatorCount) {
            throw new VigieException(ErrorCode.INTERNAL_ERROR, "bench match: the matcher holds " + matcher.size() + " of " + indicatorCount + " indicators");
        }
        Load load = new Load(indicatorCount, mix, coldCompile, compile, index, bytesPerIndicator);
        out.printf("match: compile %,d indicators (parse and compile), first round in this JVM %s, second round %s; load into the index %s; "
                        + "heap retained %,.0f bytes per indicator (compiled patterns, index and ids)%n",
                indicatorCount, coldCompile.describe(), compile.describe(), index.describe(), bytesPerIndicator);

        Stream stream = stream(entries, ids, indicatorCount, observationCount);
        List<Run> runs = new ArrayList<>();
        for (int threads : threadCounts) {
            pass(matcher, stream, threads, Math.min(WARM_UP, observationCount), false);
            Run throughput = pass(matcher, stream, threads, observationCount, false);
            Run latency = pass(matcher, stream, threads, observationCount, true);
            Run run = new Run(threads, observationCount, throughput.seconds(), throughput.cpuSeconds(), throughput.matchedObservations(), throughput.matches(),
                    throughput.planted(), throughput.plantedFound(), latency.p50Micros(), latency.p99Micros(), latency.p999Micros());
            runs.add(run);
            out.printf("match, %d thread%s: %,d observations in %.2f s = %,.0f observations/s (%,.0f per CPU second); %,d matched, %,d matches; "
                            + "planted %,d, found %,d; latency per observation p50 %.2f us, p99 %.2f us, p99.9 %.2f us; load average %s%n",
                    threads, threads == 1 ? "" : "s", observationCount, run.seconds(), run.observationsPerSecond(), run.observationsPerCpuSecond(),
                    run.matchedObservations(), run.matches(), run.planted(), run.plantedFound(), run.p50Micros(), run.p99Micros(), run.p999Micros(), NodeBenchmarks.loadAverage());
        }
        return new Figures(load, runs);
    }

    private static CompiledPattern[] compileAll(List<PatternCorpus.Entry> entries)
    {
        CompiledPattern[] compiled = new CompiledPattern[entries.size()];
        for (int i = 0; i < compiled.length; i++) {
            compiled[i] = CompiledPattern.parse(entries.get(i).pattern());
        }
        return compiled;
    }

    private static Timing time(int indicators, Runnable step)
    {
        long cpuStart = THREADS.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        step.run();
        return new Timing(indicators, (System.nanoTime() - start) / 1e9, (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e9);
    }

    /** Rejects settings the run cannot use, with the option names of {@code vigie bench}. */
    public static void checkSettings(int indicatorCount, long observationCount, List<Integer> threadCounts)
    {
        if (indicatorCount < 1 || observationCount < 1 || threadCounts.isEmpty() || threadCounts.stream().anyMatch(threads -> threads < 1)) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "bench match: --indicators, --observations and every --match-threads value must be positive");
        }
        if (observationCount > MAXIMUM_OBSERVATIONS) {
            // One latency is kept per observation of the stream.
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "bench match: --observations must be at most " + MAXIMUM_OBSERVATIONS + ", not " + observationCount);
        }
    }

    /** A pool of flattened observations cycled to make the stream; planted positions name the indicator they must match. */
    private record Stream(Observation[] pool, String[] plantedFor) {}

    private static Stream stream(List<PatternCorpus.Entry> entries, String[] ids, int indicatorCount, long observationCount)
    {
        int size = (int) Math.min(POOL, observationCount);
        Observation[] pool = PatternCorpus.observations(size, indicatorCount, OBSERVATION_SEED);
        String[] plantedFor = new String[size];
        Random random = new Random(OBSERVATION_SEED);
        Instant time = Instant.parse("2026-01-01T00:00:00Z");
        for (int position = 0; position < size; position += PLANT_EVERY) {
            // A stateless entry: one observation completes it. The mix has 99 % of them, so this ends quickly.
            int index = random.nextInt(indicatorCount);
            while (entries.get(index).matching().isEmpty()) {
                index = random.nextInt(indicatorCount);
            }
            pool[position] = PatternCorpus.planted(entries.get(index).matching().get(), "observed-data--" + new UUID(OBSERVATION_SEED + 1, position), time.plusSeconds(position));
            plantedFor[position] = ids[index];
        }
        return new Stream(pool, plantedFor);
    }

    private static Run pass(BulkMatcher matcher, Stream stream, int threads, long observations, boolean timeEach)
            throws InterruptedException
    {
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<long[]>> results = new ArrayList<>();
            long[] latencies = timeEach ? new long[(int) observations] : null;
            for (int thread = 0; thread < threads; thread++) {
                long from = observations * thread / threads;
                long to = observations * (thread + 1) / threads;
                results.add(executor.submit(() -> {
                    start.await();
                    return slice(matcher, stream, from, to, latencies);
                }));
            }
            long begin = System.nanoTime();
            start.countDown();
            long[] totals = new long[5];
            for (Future<long[]> result : results) {
                long[] counts = result.get();
                for (int i = 0; i < totals.length; i++) {
                    totals[i] += counts[i];
                }
            }
            double seconds = (System.nanoTime() - begin) / 1e9;
            double p50 = 0;
            double p99 = 0;
            double p999 = 0;
            if (latencies != null) {
                Arrays.sort(latencies);
                p50 = nanosAt(latencies, 0.50) / 1e3;
                p99 = nanosAt(latencies, 0.99) / 1e3;
                p999 = nanosAt(latencies, 0.999) / 1e3;
            }
            return new Run(threads, observations, seconds, totals[4] / 1e9, totals[0], totals[1], totals[2], totals[3], p50, p99, p999);
        }
        catch (java.util.concurrent.ExecutionException e) {
            throw new VigieException(ErrorCode.INTERNAL_ERROR, "bench match: a matching thread failed: " + e.getCause(), e.getCause());
        }
        finally {
            executor.shutdownNow();
        }
    }

    /** Stream positions [from, to): matched observations, matches, planted, planted found, thread CPU nanoseconds. */
    private static long[] slice(BulkMatcher matcher, Stream stream, long from, long to, long[] latencies)
    {
        long cpuStart = THREADS.getCurrentThreadCpuTime();
        long matched = 0;
        long matches = 0;
        long planted = 0;
        long found = 0;
        Observation[] pool = stream.pool();
        for (long position = from; position < to; position++) {
            int index = (int) (position % pool.length);
            List<Match> result;
            if (latencies != null) {
                long begin = System.nanoTime();
                result = matcher.match(pool[index]);
                latencies[(int) position] = System.nanoTime() - begin;
            }
            else {
                result = matcher.match(pool[index]);
            }
            matched += result.isEmpty() ? 0 : 1;
            matches += result.size();
            String expected = stream.plantedFor()[index];
            if (expected != null) {
                planted++;
                for (Match match : result) {
                    if (match.indicatorId().equals(expected)) {
                        found++;
                        break;
                    }
                }
            }
        }
        return new long[] {matched, matches, planted, found, THREADS.getCurrentThreadCpuTime() - cpuStart};
    }

    private static long nanosAt(long[] sorted, double fraction)
    {
        return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(fraction * sorted.length) - 1))];
    }

    /** Heap in use after full collections (the least of five), for memory figures. */
    public static long usedHeapAfterCollection()
    {
        Runtime runtime = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
        }
        return used;
    }

}
