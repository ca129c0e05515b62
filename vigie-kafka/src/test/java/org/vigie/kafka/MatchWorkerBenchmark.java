package org.vigie.kafka;

import org.vigie.pattern.Observation;
import org.vigie.pattern.match.BulkMatcher;
import org.vigie.pattern.match.MatcherOptions;
import tools.jackson.databind.JsonNode;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

/**
 * Observations per second through Kafka matching with 1, 2 and 4 workers (in this JVM, with the broker), against
 * the same matching done in one thread without Kafka. Arguments: observations (default 60000), indicators (1000),
 * partitions (8). After a warm-up run, each worker count runs three times (median reported). A run's rate is taken from 10% to 100% of the observations committed, which leaves the group
 * join out; CPU is this process's CPU time over the run's wall time (2.0 = two cores busy).
 */
public final class MatchWorkerBenchmark
{
    private static final int EVERY = 10;
    private static final int ROUNDS = 3;

    private MatchWorkerBenchmark() {}

    public static void main(String[] arguments)
            throws Exception
    {
        int observations = arguments.length > 0 ? Integer.parseInt(arguments[0]) : 60_000;
        int indicators = arguments.length > 1 ? Integer.parseInt(arguments[1]) : 1_000;
        int partitions = arguments.length > 2 ? Integer.parseInt(arguments[2]) : 8;
        System.out.printf("kafka matching: %d observations (one in %d matches), %d indicators, %d partitions, %d processors, load average %.2f, java %s%n",
                observations, EVERY, indicators, partitions, Runtime.getRuntime().availableProcessors(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.version());
        List<JsonNode> indicatorObjects = IntStream.range(0, indicators).mapToObj(index -> MatchingData.indicator(index).tree()).toList();

        baseline(observations, indicators, indicatorObjects);

        try (KafkaTestCluster cluster = KafkaTestCluster.start()) {
            KafkaConfig kafka = new KafkaConfig(cluster.bootstrapServers(), "bench.", "bench", partitions, Optional.empty());
            long started = System.nanoTime();
            try (ObservationLog log = ObservationLog.open(kafka)) {
                for (int index = 0; index < observations; index++) {
                    List<JsonNode> objects = MatchingData.observation(index, indicators, EVERY);
                    log.publish(objects.get(0), objects);
                }
                log.flush();
            }
            System.out.printf("published %d observations in %d ms (%.0f/s)%n", observations, millisSince(started), observations / secondsSince(started));
            int run = 0;
            // The first run warms the JIT up (a cold worker is twice as slow) and is not counted.
            run(kafka, "bench-" + ++run, 2, observations, indicatorObjects);
            Map<Integer, List<Double>> rates = new TreeMap<>();
            for (int round = 0; round < ROUNDS; round++) {
                for (int workers : new int[] {1, 2, 4}) {
                    rates.computeIfAbsent(workers, key -> new ArrayList<>()).add(run(kafka, "bench-" + ++run, workers, observations, indicatorObjects));
                }
            }
            rates.forEach((workers, list) -> {
                List<Double> sorted = list.stream().sorted().toList();
                System.out.printf("summary: %d worker(s): median %.0f observations/s (min %.0f, max %.0f over %d runs)%n",
                        workers, sorted.get(sorted.size() / 2), sorted.get(0), sorted.get(sorted.size() - 1), sorted.size());
            });
            System.out.printf("system load average at the end: %.2f%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    /** Decoding and matching in one thread, no Kafka: what one worker could do at most on one core. */
    private static void baseline(int observations, int indicators, List<JsonNode> indicatorObjects)
    {
        List<String> values = new ArrayList<>(observations);
        for (int index = 0; index < observations; index++) {
            List<JsonNode> objects = MatchingData.observation(index, indicators, EVERY);
            values.add(ObservationRecords.encode(objects.get(0), objects.subList(1, objects.size())));
        }
        BulkMatcher matcher = BulkMatcher.create(InstantSource.fixed(MatchingData.NOW), MatcherOptions.DEFAULT);
        indicatorObjects.forEach(matcher::upsert);
        for (int round = 0; round < 3; round++) {
            long started = System.nanoTime();
            long matches = 0;
            for (int index = 0; index < values.size(); index++) {
                Observation observation = ObservationRecords.decode("baseline", 0, index, values.get(index));
                matches += matcher.match(observation).size();
            }
            System.out.printf("baseline round %d (decode + match, one thread, no Kafka): %.0f observations/s, %d matches%n", round + 1, observations / secondsSince(started), matches);
        }
    }

    private static double run(KafkaConfig kafka, String group, int workerCount, int observations, List<JsonNode> indicatorObjects)
    {
        MatchWorkerConfig config = MatchWorkerConfig.defaults("bench").withGroupId(group).withBatchSize(500).withSessionTimeout(Duration.ofSeconds(10));
        List<MatchWorker> workers = new ArrayList<>();
        long started = System.nanoTime();
        try {
            for (int index = 0; index < workerCount; index++) {
                workers.add(MatchWorker.start(kafka, config, IndicatorSources.fixed(indicatorObjects), InstantSource.fixed(MatchingData.NOW)));
            }
            long tenPercentAt = 0;
            long cpuAtTenPercent = 0;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (true) {
                long committed = workers.stream().mapToLong(MatchWorker::committed).sum();
                if (tenPercentAt == 0 && committed >= observations / 10) {
                    tenPercentAt = System.nanoTime();
                    cpuAtTenPercent = processCpuNanos();
                }
                if (committed >= observations) {
                    break;
                }
                for (MatchWorker worker : workers) {
                    worker.failure().ifPresent(failure -> {
                        throw new IllegalStateException(worker.name() + " failed", failure);
                    });
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(group + ": only " + committed + " of " + observations + " observations committed within 10 minutes");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            long doneAt = System.nanoTime();
            double seconds = (doneAt - tenPercentAt) / 1e9;
            double cores = (processCpuNanos() - cpuAtTenPercent) / 1e9 / seconds;
            long sightings = workers.stream().mapToLong(MatchWorker::sightings).sum();
            List<Long> perWorker = workers.stream().map(MatchWorker::observations).toList();
            System.out.printf("%d worker(s): %.0f observations/s (10%%..100%% in %.2f s, %.2f cores busy), %d sightings, per worker %s, total %d ms with group join%n",
                    workerCount, observations * 0.9 / seconds, seconds, cores, sightings, perWorker, millisSince(started));
            return observations * 0.9 / seconds;
        }
        finally {
            workers.forEach(MatchWorker::close);
        }
    }

    private static long processCpuNanos()
    {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long millisSince(long started)
    {
        return (System.nanoTime() - started) / 1_000_000;
    }

    private static double secondsSince(long started)
    {
        return (System.nanoTime() - started) / 1e9;
    }
}
