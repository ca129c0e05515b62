package org.vigie.bench.pattern;

import org.vigie.node.bench.MatchBenchmark;
import org.vigie.pattern.CompiledPattern;
import org.vigie.pattern.generate.PatternCorpus;
import org.vigie.pattern.match.BulkMatcher;
import org.vigie.pattern.match.Indicator;
import org.vigie.pattern.match.MatcherOptions;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Heap retained per indicator by a bulk matcher: used heap after full collections, before and after
 * loading N simple (equality) indicators, divided by N. Run with
 * {@code java -cp benchmarks.jar org.vigie.bench.pattern.PatternMemoryFootprint [N]}; target at most 1 KB.
 */
public final class PatternMemoryFootprint
{
    private PatternMemoryFootprint() {}

    public static void main(String[] args)
    {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        String[] patterns = new String[count];
        for (int i = 0; i < count; i++) {
            patterns[i] = switch (i % 4) {
                case 0 -> "[ipv4-addr:value = '" + PatternCorpus.address(i) + "']";
                case 1 -> "[domain-name:value = '" + PatternCorpus.domain(i) + "']";
                case 2 -> "[url:value = '" + PatternCorpus.url(i) + "']";
                default -> "[file:hashes.MD5 = '" + String.format("%032x", i) + "']";
            };
        }
        long before = MatchBenchmark.usedHeapAfterCollection();
        BulkMatcher matcher = BulkMatcher.create(() -> now, MatcherOptions.DEFAULT);
        for (int i = 0; i < count; i++) {
            // The id is created here, so the id string the matcher keeps is counted; the pattern text is not kept.
            matcher.upsert(new Indicator("indicator--" + new java.util.UUID(3, i), now, CompiledPattern.parse(patterns[i]), Optional.empty(), Optional.empty(), false));
        }
        long after = MatchBenchmark.usedHeapAfterCollection();
        System.out.printf("%d simple indicators: %.0f bytes retained per indicator (id strings included)%n", matcher.size(), (after - before) / (double) count);
        // Keep the matcher reachable until after the measurement.
        System.out.println(List.of(matcher.size()).get(0) == count ? "ok" : "size mismatch");
    }
}
