package org.vigie.stix;

import com.sun.management.OperatingSystemMXBean;
import org.vigie.stix.validation.StixValidator;

import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * A quick throughput figure (not a test, not JMH): reads and validates a bundle repeatedly on one
 * thread. Run from the module directory:
 * {@code java -cp target/classes:target/test-classes:<jackson jars> org.vigie.stix.Throughput [file | indicators [count]]}.
 * Without arguments it reads the ATT&CK for ICS 18.1 bundle; {@code indicators} generates a bundle of
 * simple indicators (the common import case), 100,000 unless a count is given. System properties:
 * {@code rounds} (12) and {@code phase} (read, validate, both or all).
 */
public final class Throughput
{
    private Throughput() {}

    public static void main(String[] args)
            throws Exception
    {
        byte[] bytes;
        if (args.length > 0 && args[0].equals("indicators")) {
            bytes = indicators(args.length > 1 ? Integer.parseInt(args[1]) : 100_000);
        }
        else {
            bytes = Files.readAllBytes(Path.of(args.length > 0 ? args[0] : "../testdata/stix/ics-attack-18.1.json"));
        }
        StixValidator validator = StixValidator.create();
        List<ParsedObject> objects = new ArrayList<>();
        try (BundleReader reader = BundleReader.open(new ByteArrayInputStream(bytes))) {
            reader.forEachRemaining(objects::add);
        }
        // The machine is shared: process CPU time (this thread, GC and compiler threads) gives a figure
        // that other processes disturb less than wall time.
        OperatingSystemMXBean system = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        int rounds = Integer.getInteger("rounds", 12);
        // One of read, validate, both (read+validate) to time one phase alone, as under perf stat; all by default.
        String phase = System.getProperty("phase", "all");
        // Other processes only ever slow a round down, so the best round is the least disturbed figure;
        // this thread's CPU time is less disturbed still (though it leaves out GC and compiler threads).
        double bestRead = 0;
        double bestValidate = 0;
        double bestBoth = 0;
        List<Double> threadRead = new ArrayList<>();
        List<Double> threadValidate = new ArrayList<>();
        List<Double> threadBoth = new ArrayList<>();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int round = 0; round < rounds; round++) {
            long startCpu = system.getProcessCpuTime();
            long startThread = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            // Reading alone: each object is dropped once read, as an importer does after storing it.
            long characters = 0;
            if (phase.equals("all") || phase.equals("read")) {
                try (BundleReader reader = BundleReader.open(new ByteArrayInputStream(bytes))) {
                    while (reader.hasNext()) {
                        characters += reader.next().json().length();
                    }
                }
            }
            long read = System.nanoTime();
            long readCpu = system.getProcessCpuTime();
            long readThread = threads.getCurrentThreadCpuTime();
            int violations = 0;
            if (phase.equals("all") || phase.equals("validate")) {
                for (ParsedObject object : objects) {
                    violations += validator.validate(object.tree()).size();
                }
            }
            long validated = System.nanoTime();
            long validatedCpu = system.getProcessCpuTime();
            long validatedThread = threads.getCurrentThreadCpuTime();
            if (phase.equals("all") || phase.equals("both")) {
                try (BundleReader reader = BundleReader.open(new ByteArrayInputStream(bytes))) {
                    while (reader.hasNext()) {
                        violations += validator.validate(reader.next().tree()).size();
                    }
                }
            }
            long both = System.nanoTime();
            long bothCpu = system.getProcessCpuTime();
            long bothThread = threads.getCurrentThreadCpuTime();
            int count = objects.size();
            System.out.printf("round %d: %d objects (%d characters); objects/s wall (per process CPU second): read %.0f (%.0f), validate %.0f (%.0f), "
                            + "read+validate %.0f (%.0f); %d violations%n",
                    round, count, characters, count / ((read - start) / 1e9), count / ((readCpu - startCpu) / 1e9),
                    count / ((validated - read) / 1e9), count / ((validatedCpu - readCpu) / 1e9),
                    count / ((both - validated) / 1e9), count / ((bothCpu - validatedCpu) / 1e9), violations);
            if (round >= rounds / 3) {
                // Earlier rounds warm the compiler up.
                bestRead = Math.max(bestRead, count / ((read - start) / 1e9));
                bestValidate = Math.max(bestValidate, count / ((validated - read) / 1e9));
                bestBoth = Math.max(bestBoth, count / ((both - validated) / 1e9));
                threadRead.add(count / ((readThread - startThread) / 1e9));
                threadValidate.add(count / ((validatedThread - readThread) / 1e9));
                threadBoth.add(count / ((bothThread - validatedThread) / 1e9));
            }
        }
        System.out.printf("best of rounds %d to %d, objects/s wall: read %.0f, validate %.0f, read+validate %.0f%n", rounds / 3, rounds - 1, bestRead, bestValidate, bestBoth);
        System.out.printf("median of rounds %d to %d, objects per second of this thread's CPU: read %.0f, validate %.0f, read+validate %.0f%n",
                rounds / 3, rounds - 1, median(threadRead), median(threadValidate), median(threadBoth));
    }

    private static double median(List<Double> values)
    {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2);
    }

    /** A pretty-printed bundle of simple, valid indicators with seeded random ids and times. */
    static byte[] indicators(int count)
    {
        Random random = new Random(42);
        StringBuilder bundle = new StringBuilder(count * 420);
        bundle.append("{\n    \"type\": \"bundle\",\n    \"id\": \"bundle--").append(new UUID(random.nextLong(), random.nextLong())).append("\",\n    \"objects\": [");
        for (int i = 0; i < count; i++) {
            String created = Timestamps.format(Instant.ofEpochMilli(1_500_000_000_000L + random.nextInt(1_000_000_000)));
            bundle.append(i == 0 ? "\n" : ",\n")
                    .append("        {\n")
                    .append("            \"type\": \"indicator\",\n")
                    .append("            \"spec_version\": \"2.1\",\n")
                    .append("            \"id\": \"indicator--").append(UUID.nameUUIDFromBytes(Integer.toString(i).getBytes(StandardCharsets.UTF_8))).append("\",\n")
                    .append("            \"created\": \"").append(created).append("\",\n")
                    .append("            \"modified\": \"").append(created).append("\",\n")
                    .append("            \"name\": \"C2 address ").append(i).append("\",\n")
                    .append("            \"indicator_types\": [\"malicious-activity\"],\n")
                    .append("            \"pattern\": \"[ipv4-addr:value = '10.").append(i >> 16 & 255).append('.').append(i >> 8 & 255).append('.').append(i & 255).append("']\",\n")
                    .append("            \"pattern_type\": \"stix\",\n")
                    .append("            \"valid_from\": \"").append(created).append("\"\n")
                    .append("        }");
        }
        bundle.append("\n    ]\n}\n");
        return bundle.toString().getBytes(StandardCharsets.UTF_8);
    }
}
