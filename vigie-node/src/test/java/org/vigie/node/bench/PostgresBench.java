package org.vigie.node.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.vigie.node.cli.CommandContext;
import org.vigie.node.cli.Main;
import org.vigie.node.config.NodeConfig;
import org.vigie.store.StoreConfig;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Runs {@code vigie bench} against a real PostgreSQL server started from the embedded binaries (a measurement,
 * not a test). Arguments: the PostgreSQL directory, the port, then the arguments of {@code vigie bench}, which
 * must include {@code --work-dir}. The server keeps its data in {@code <directory>/data} between runs, so that
 * a later run can measure queries on a store filled by an earlier one ({@code --only query --collection ID}),
 * and {@code <work-dir>/data/vigie.properties} points the node at it.
 *
 * <p>Server settings are those an operator would give a bulk-loaded store on this machine: a larger buffer
 * cache and WAL between checkpoints; commits stay synchronous, as the store's durability promise needs.
 */
public final class PostgresBench
{
    private PostgresBench() {}

    /**
     * CPU time used so far by the server's running processes: the postmaster named in {@code postmaster.pid}
     * (pg_ctl detaches it from this process) and its children, the backends and background workers.
     */
    private static Duration serverCpu(Path serverData)
            throws IOException
    {
        long postmaster = Long.parseLong(Files.readAllLines(serverData.resolve("postmaster.pid")).get(0).strip());
        return ProcessHandle.of(postmaster)
                .map(process -> Stream.concat(Stream.of(process), process.descendants()))
                .orElseGet(Stream::empty)
                .map(process -> process.info().totalCpuDuration().orElse(Duration.ZERO))
                .reduce(Duration.ZERO, Duration::plus);
    }

    /**
     * The recommended settings of a write-heavy node (docs/OPERATIONS.md), each replaced by a system property
     * {@code postgres.NAME} when given (for example {@code -Dpostgres.max_wal_size=2GB} where the disk is short).
     */
    static Map<String, String> serverSettings(Properties overrides)
    {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("shared_buffers", "1GB");
        settings.put("max_wal_size", "8GB");
        settings.put("checkpoint_timeout", "15min");
        // Compressing full-page images cost more CPU than the smaller WAL saved (see docs/BENCHMARKS.md).
        settings.put("wal_compression", "off");
        for (String name : overrides.stringPropertyNames()) {
            if (name.startsWith("postgres.")) {
                settings.put(name.substring("postgres.".length()), overrides.getProperty(name));
            }
        }
        return settings;
    }

    public static void main(String[] arguments)
            throws IOException
    {
        if (arguments.length < 3) {
            System.err.println("usage: PostgresBench POSTGRESQL-DIRECTORY PORT BENCH-ARGUMENTS... (with --work-dir DIR)");
            System.exit(Main.INVALID_INPUT);
        }
        Path directory = Path.of(arguments[0]).toAbsolutePath();
        int port = Integer.parseInt(arguments[1]);
        List<String> bench = new ArrayList<>(Arrays.asList(arguments).subList(2, arguments.length));
        int workDirectoryOption = bench.indexOf("--work-dir");
        if (workDirectoryOption < 0 || workDirectoryOption + 1 >= bench.size()) {
            System.err.println("PostgresBench: the bench arguments must name --work-dir DIR");
            System.exit(Main.INVALID_INPUT);
        }
        Path dataDirectory = Path.of(bench.get(workDirectoryOption + 1)).resolve("data");
        Files.createDirectories(directory);
        Files.createDirectories(dataDirectory);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(directory.resolve("data"))
                .setCleanDataDirectory(false)
                .setPort(port);
        Map<String, String> settings = serverSettings(System.getProperties());
        settings.forEach(builder::setServerConfig);
        int exitCode;
        try (EmbeddedPostgres postgres = builder.start()) {
            Properties properties = new Properties();
            properties.setProperty(StoreConfig.URL, "jdbc:postgresql://localhost:" + port + "/postgres");
            properties.setProperty(StoreConfig.USER, "postgres");
            // One connection per client of the 8-client page measurement, plus the writer's.
            properties.setProperty(StoreConfig.POOL_SIZE, "8");
            try (OutputStream stream = Files.newOutputStream(dataDirectory.resolve(NodeConfig.PROPERTIES_FILE))) {
                properties.store(stream, "written by PostgresBench: the store on the embedded PostgreSQL server in " + directory);
            }
            System.out.printf("PostgresBench: PostgreSQL on port %d, data in %s, settings %s%n", port, directory.resolve("data"), settings);
            Duration serverStart = serverCpu(directory.resolve("data"));
            long start = System.nanoTime();
            exitCode = Main.execute(CommandContext.system(), bench.toArray(String[]::new));
            // The bench's own CPU figures leave the server out.
            System.out.printf("PostgresBench: PostgreSQL server processes used %.1f s of CPU during the %.1f s bench command%n",
                    serverCpu(directory.resolve("data")).minus(serverStart).toMillis() / 1e3, (System.nanoTime() - start) / 1e9);
        }
        System.exit(exitCode);
    }
}
