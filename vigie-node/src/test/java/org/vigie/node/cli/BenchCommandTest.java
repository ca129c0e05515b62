package org.vigie.node.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A small run of the benchmarks, to keep them working; the figures themselves are not checked. */
class BenchCommandTest
{
    @Test
    void smallRunReportsEveryFigure(@TempDir Path directory)
    {
        CliRunner.Result result = CliRunner.run("bench", "--work-dir", directory.toString(), "--objects", "600", "--post-objects", "300", "--post-batch", "100",
                "--requests", "5", "--only", "import,query,post");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out())
                .containsPattern("import: 600 objects in [0-9.]+ s = [0-9,]+ objects/s")
                .containsPattern("get page of 100 \\(600 objects stored\\), 1 client, 5 requests: p50 [0-9.]+ ms, p99 [0-9.]+ ms")
                .containsPattern("get page of 100 \\(600 objects stored\\), 8 clients, 40 requests: .* garbage collections [0-9,]+ taking [0-9,]+ ms")
                .containsPattern("post: 300 objects in 3 requests of 100 from 2 clients in [0-9.]+ s = [0-9,]+ objects/s \\(after a warm-up of 300\\)")
                .containsPattern("post: CPU per object by thread group: .*JettyServerThreadPool [0-9.]+ µs")
                .containsPattern("post: search index current [0-9.]+ s after the last response; its CPU per object, timed objects indexed: [0-9.]+ µs");

        CliRunner.Result match = CliRunner.run("bench", "--work-dir", directory.toString(), "--only", "match", "--indicators", "1000", "--observations", "5000",
                "--match-threads", "1,2");
        assertThat(match.exitCode()).as(match.toString()).isZero();
        assertThat(match.out())
                .containsPattern("match: compile 1,000 indicators \\(parse and compile\\), first round in this JVM [0-9.]+ s = [0-9,]+ indicators/s")
                .contains("match, 1 thread: 5,000 observations", "match, 2 threads: 5,000 observations", "planted 50, found 50")
                .doesNotContain("import:");

        CliRunner.Result invalidMatch = CliRunner.run("bench", "--work-dir", directory.toString(), "--only", "match", "--match-threads", "0");
        assertThat(invalidMatch.exitCode()).isEqualTo(Main.INVALID_INPUT);
        assertThat(invalidMatch.err()).contains("--match-threads");

        CliRunner.Result invalidWarmUp = CliRunner.run("bench", "--work-dir", directory.toString(), "--only", "post", "--post-warm-up", "-1");
        assertThat(invalidWarmUp.exitCode()).isEqualTo(Main.INVALID_INPUT);
        assertThat(invalidWarmUp.err()).contains("--post-warm-up must be 0 or more, not -1");

        CliRunner.Result invalid = CliRunner.run("bench", "--work-dir", directory.toString(), "--objects", "0");
        assertThat(invalid.exitCode()).isEqualTo(Main.INVALID_INPUT);
        assertThat(invalid.err()).contains("--objects");
    }
}
