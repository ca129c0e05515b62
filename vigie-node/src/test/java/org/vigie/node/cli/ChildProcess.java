package org.vigie.node.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The command line in a child JVM (this test's class path, {@link Main}), whose standard output is read
 * line by line so that a test acts on what the child reports instead of sleeping. Public for the node's tests in
 * other packages (a replica killed in {@code org.vigie.console.KafkaReplicasTest}).
 */
public final class ChildProcess
        implements AutoCloseable
{
    private static final String END = "\u0000end-of-output";

    private final Process process;
    private final Path errorFile;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();

    private ChildProcess(Process process, Path errorFile)
    {
        this.process = process;
        this.errorFile = errorFile;
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            }
            catch (IOException e) {
                // The child was killed: its output ends here.
            }
            finally {
                lines.add(END);
            }
        }, "child-output-reader");
        reader.setDaemon(true);
        reader.start();
    }

    public static ChildProcess start(Path errorFile, String... arguments)
    {
        return startIn(Path.of("").toAbsolutePath(), errorFile, arguments);
    }

    /** Starts the child with {@code workingDirectory} as its current directory. */
    static ChildProcess startIn(Path workingDirectory, Path errorFile, String... arguments)
    {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command)
                    .directory(workingDirectory.toFile())
                    .redirectError(errorFile.toFile())
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .start();
            process.getOutputStream().close();
            return new ChildProcess(process, errorFile);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the first line matching; fails when the child's output ends first or the deadline passes. */
    public String awaitLine(Predicate<String> condition, Duration timeout)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long remaining = deadline - System.nanoTime();
            String line = remaining <= 0 ? null : lines.poll(remaining, TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("no matching line from the child within " + timeout + "; output so far: " + seen + "; errors: " + errors());
            }
            if (line.equals(END)) {
                lines.add(END);
                throw new AssertionError("the child's output ended (exit " + exitCode() + ") without a matching line; output: " + seen + "; errors: " + errors());
            }
            seen.add(line);
            if (condition.test(line)) {
                return line;
            }
        }
    }

    /** Every line read so far. */
    List<String> seen()
    {
        return List.copyOf(seen);
    }

    /** Reads the rest of the output after the child exits. */
    List<String> drain(Duration timeout)
            throws InterruptedException
    {
        assertExits(timeout);
        while (true) {
            String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null || line.equals(END)) {
                return seen();
            }
            seen.add(line);
        }
    }

    int assertExits(Duration timeout)
            throws InterruptedException
    {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the child did not exit within " + timeout + "; errors: " + errors());
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook, no flush, no close. */
    public void kill()
            throws InterruptedException
    {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM: shutdown hooks run. */
    int terminate(Duration timeout)
            throws InterruptedException
    {
        process.destroy();
        return assertExits(timeout);
    }

    public String errors()
    {
        try {
            return Files.exists(errorFile) ? Files.readString(errorFile) : "";
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String exitCode()
    {
        return process.isAlive() ? "still running" : Integer.toString(process.exitValue());
    }

    @Override
    public void close()
    {
        // Never leave a child behind, even when the test failed half-way.
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor();
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
