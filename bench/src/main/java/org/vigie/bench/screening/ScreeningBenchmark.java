package org.vigie.bench.screening;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.vigie.screening.Designation;
import org.vigie.screening.SanctionsList;
import org.vigie.screening.SanctionsLists;
import org.vigie.screening.Screener;
import org.vigie.screening.ScreeningQuery;
import org.vigie.screening.ScreeningResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Screening against the shipped UN + OFAC snapshots. Queries are half spelling variants of listed
 * names, half invented names (seeded), as a customer base would be. {@code screenThroughput} runs
 * on 2 threads (the 2-core target of 5,000 queries/s); {@code screenLatency} samples per-query time
 * (p99 target under 2 ms); {@code loadAndIndex} times loading both lists and building the index
 * (target under 2 s).
 */
@Fork(1)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
public class ScreeningBenchmark
{
    private static final String[] SYLLABLES = {"an", "be", "ca", "dor", "el", "fa", "gun", "har", "is", "jo", "ka", "lin", "mar", "no", "os",
            "pe", "ri", "sa", "tor", "ul", "va", "wen", "yo", "zi", "son", "berg", "ton", "ley", "ez", "ski"};

    @State(Scope.Benchmark)
    public static class Lists
    {
        Screener screener;
        ScreeningQuery[] queries;
        final AtomicInteger next = new AtomicInteger();

        @Setup(Level.Trial)
        public void setUp()
        {
            List<SanctionsList> lists = SanctionsLists.loadShipped();
            screener = Screener.create(lists);
            Random random = new Random(20260227L);
            List<Designation> all = new ArrayList<>();
            lists.forEach(list -> all.addAll(list.designations()));
            queries = new ScreeningQuery[4096];
            for (int i = 0; i < queries.length; i++) {
                String name;
                if (i % 2 == 0) {
                    name = vary(all.get(random.nextInt(all.size())).primaryName(), random);
                }
                else {
                    name = invent(random) + " " + invent(random) + (random.nextBoolean() ? " " + invent(random) : "");
                }
                queries[i] = ScreeningQuery.of(name);
            }
        }

        ScreeningQuery nextQuery()
        {
            return queries[next.getAndIncrement() & (queries.length - 1)];
        }
    }

    private static String vary(String name, Random random)
    {
        char[] letters = name.toLowerCase().toCharArray();
        for (int i = 1; i < letters.length; i++) {
            if ("aeiou".indexOf(letters[i]) >= 0 && random.nextInt(4) == 0) {
                letters[i] = "aeiou".charAt(random.nextInt(5));
            }
        }
        return new String(letters);
    }

    private static String invent(Random random)
    {
        StringBuilder name = new StringBuilder();
        int parts = 2 + random.nextInt(2);
        for (int i = 0; i < parts; i++) {
            name.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
        }
        return name.toString();
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(2)
    public List<ScreeningResult> screenThroughput(Lists lists)
    {
        return lists.screener.screen(lists.nextQuery());
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Threads(2)
    public List<ScreeningResult> screenLatency(Lists lists)
    {
        return lists.screener.screen(lists.nextQuery());
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 1)
    @Measurement(iterations = 5)
    public Screener loadAndIndex()
    {
        return Screener.create(SanctionsLists.loadShipped());
    }
}
