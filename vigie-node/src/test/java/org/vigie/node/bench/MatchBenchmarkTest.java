package org.vigie.node.bench;

import org.junit.jupiter.api.Test;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.pattern.generate.PatternCorpus;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A small run of the match benchmark: the counts must add up; the speeds themselves are not checked. */
class MatchBenchmarkTest
{
    @Test
    void smallRunCountsAddUpAndFindsEveryPlantedObservation()
            throws InterruptedException
    {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        MatchBenchmark benchmark = new MatchBenchmark(new PrintStream(buffer, true, StandardCharsets.UTF_8), InstantSource.system());
        MatchBenchmark.Figures figures = benchmark.run(3_000, 30_000, List.of(1, 2));

        MatchBenchmark.Load load = figures.load();
        assertThat(load.indicators()).isEqualTo(3_000);
        assertThat(load.mix().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(3_000);
        assertThat(load.mix()).containsKeys(PatternCorpus.Kind.EQUALITY, PatternCorpus.Kind.TEXT_OR_NETWORK, PatternCorpus.Kind.STATEFUL);
        for (MatchBenchmark.Timing timing : List.of(load.coldCompile(), load.compile(), load.index())) {
            assertThat(timing.indicators()).isEqualTo(3_000);
            assertThat(timing.perSecond()).isPositive();
            assertThat(timing.cpuSeconds()).isPositive();
        }
        assertThat(load.bytesPerIndicator()).isPositive();

        assertThat(figures.runs()).extracting(MatchBenchmark.Run::threads).containsExactly(1, 2);
        for (MatchBenchmark.Run run : figures.runs()) {
            assertThat(run.observations()).isEqualTo(30_000);
            // The pool holds all 30,000 observations; one in a hundred is planted.
            assertThat(run.planted()).isEqualTo(300);
            assertThat(run.plantedFound()).isEqualTo(run.planted());
            assertThat(run.matchedObservations()).isBetween(run.plantedFound(), run.observations());
            assertThat(run.matches()).isGreaterThanOrEqualTo(run.matchedObservations());
            assertThat(run.seconds()).isPositive();
            assertThat(run.p50Micros()).isPositive().isLessThanOrEqualTo(run.p99Micros());
            assertThat(run.p99Micros()).isLessThanOrEqualTo(run.p999Micros());
        }

        String out = buffer.toString(StandardCharsets.UTF_8);
        assertThat(out)
                .containsPattern("match: 3,000 indicators generated \\([0-9,]+ equality, [0-9,]+ LIKE/MATCHES/ISSUBSET, [0-9,]+ FOLLOWEDBY/WITHIN\\)")
                .containsPattern("match: compile 3,000 indicators \\(parse and compile\\), first round in this JVM [0-9.]+ s = [0-9,]+ indicators/s \\([0-9,]+ per CPU second\\), "
                        + "second round [0-9.]+ s = [0-9,]+ indicators/s \\([0-9,]+ per CPU second\\); load into the index [0-9.]+ s = [0-9,]+ indicators/s \\([0-9,]+ per CPU second\\); "
                        + "heap retained [0-9,-]+ bytes per indicator")
                .containsPattern("match, 1 thread: 30,000 observations in [0-9.]+ s = [0-9,]+ observations/s \\([0-9,]+ per CPU second\\); [0-9,]+ matched, [0-9,]+ matches; planted 300, found 300; latency per observation p50 [0-9.]+ us, p99 [0-9.]+ us, p99.9 [0-9.]+ us")
                .contains("match, 2 threads: 30,000 observations");
    }

    @Test
    void rejectsSettingsItCannotUse()
    {
        assertThatThrownBy(() -> MatchBenchmark.checkSettings(0, 10, List.of(1)))
                .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("--indicators");
        assertThatThrownBy(() -> MatchBenchmark.checkSettings(10, 10, List.of(1, 0))).hasMessageContaining("--match-threads");
        assertThatThrownBy(() -> MatchBenchmark.checkSettings(10, MatchBenchmark.MAXIMUM_OBSERVATIONS + 1, List.of(1))).hasMessageContaining("at most");
    }
}
