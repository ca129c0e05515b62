package org.vigie.node.exchange.process;

import org.vigie.node.cli.Main;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code vigie serve --data-dir DIR} in a child JVM (this test's class path). Started, it is ready once it
 * printed the banner's last line; {@link #kill()} is SIGKILL (no shutdown hook, no close), {@link #close()}
 * never leaves the child behind.
 */
final class NodeProcess
        implements AutoCloseable
{
    private static final String READY = "Press Ctrl+C to stop.";
    private static final String END = "\u0000end-of-output";

    private final String name;
    private final Process process;
    private final Path errorFile;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();

    private NodeProcess(String name, Process process, Path errorFile)
    {
        this.name = name;
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
        }, "node-" + name + "-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code serve} on the data directory and waits until the node listens. */
    static NodeProcess serve(String name, String classPath, Path dataDirectory, Path errorFile, Duration timeout)
            throws InterruptedException
    {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Three nodes and the test share two cores with other builds: small heaps, quick start-up.
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        command.add(classPath);
        command.add(Main.class.getName());
        command.add("serve");
        command.add("--data-dir");
        command.add(dataDirectory.toString());
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.appendTo(errorFile.toFile()))
                    .start();
            process.getOutputStream().close();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        NodeProcess node = new NodeProcess(name, process, errorFile);
        try {
            node.awaitReady(timeout);
        }
        catch (RuntimeException | Error | InterruptedException e) {
            node.close();
            throw e;
        }
        return node;
    }

    private void awaitReady(Duration timeout)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long remaining = deadline - System.nanoTime();
            String line = remaining <= 0 ? null : lines.poll(remaining, TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("node " + name + " did not start within " + timeout + "; output " + seen + "; errors: " + errors());
            }
            if (line.equals(END)) {
                throw new AssertionError("node " + name + " stopped while starting; output " + seen + "; errors: " + errors());
            }
            seen.add(line);
            if (line.equals(READY)) {
                return;
            }
        }
    }

    boolean isAlive()
    {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no flush, no close. */
    void kill()
            throws InterruptedException
    {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("node " + name + " survived SIGKILL for 30 s");
        }
    }

    /** SIGTERM: the shutdown hook closes the server, the exchange and the store. */
    int terminate(Duration timeout)
            throws InterruptedException
    {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("node " + name + " did not stop within " + timeout + " of SIGTERM; errors: " + errors());
        }
        return process.exitValue();
    }

    String errors()
    {
        try {
            if (!Files.exists(errorFile)) {
                return "";
            }
            String text = Files.readString(errorFile);
            // The end of the log is what explains a failure.
            return text.length() > 8_000 ? "..." + text.substring(text.length() - 8_000) : text;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The children's class path, with this build's class directories copied under {@code directory}: other
     * builds may recompile target/classes while the children start and restart over minutes.
     */
    static String snapshotClassPath(Path directory)
            throws IOException
    {
        String original = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> entries = new ArrayList<>();
        int index = 0;
        for (String entry : original.split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (Files.isDirectory(path) && !path.endsWith("test-classes")) {
                Path copy = directory.resolve("classpath-" + index++);
                try (Stream<Path> files = Files.walk(path)) {
                    for (Path file : files.toList()) {
                        Files.copy(file, copy.resolve(path.relativize(file).toString()));
                    }
                }
                entries.add(copy.toString());
            }
            else if (!Files.isDirectory(path)) {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    static int freePort()
            throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close()
    {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
