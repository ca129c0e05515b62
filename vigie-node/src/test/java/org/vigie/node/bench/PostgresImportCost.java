package org.vigie.node.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.vigie.node.generate.StixGenerator;
import org.vigie.stix.StixObject;
import org.vigie.store.CollectionInfo;
import org.vigie.store.ObjectStore;
import org.vigie.store.ObjectStores;
import org.vigie.store.StoreConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a PostgreSQL import's server time goes (a measurement, not a test): generates objects in memory, starts
 * a fresh embedded server with {@link PostgresBench}'s settings, opens the store, runs the optional SQL given
 * (a schema variant to compare, statements separated by {@code ;}), then stores the objects with
 * {@code addObjects} in batches of 10,000 (the importer's default) and prints the rate and the CPU time of each
 * server process. With {@code -Dpostgres.shared_preload_libraries=pg_stat_statements} it also prints the
 * statements that took the server's time. Arguments: directory, port, object count, [SQL].
 */
public final class PostgresImportCost
{
    private static final int BATCH_SIZE = 10_000;

    private PostgresImportCost() {}

    public static void main(String[] arguments)
            throws IOException, SQLException
    {
        Path directory = Path.of(arguments[0]).toAbsolutePath();
        int port = Integer.parseInt(arguments[1]);
        int count = Integer.parseInt(arguments[2]);
        String variant = arguments.length > 3 ? arguments[3] : "";
        List<StixObject> objects = new ArrayList<>(count);
        StixGenerator generator = StixGenerator.create(42);
        for (int index = 0; index < count; index++) {
            objects.add(StixObject.fromJson(generator.next()));
        }
        Map<String, String> settings = PostgresBench.serverSettings(System.getProperties());
        boolean statementStatistics = settings.getOrDefault("shared_preload_libraries", "").contains("pg_stat_statements");
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(directory.resolve("data"))
                .setCleanDataDirectory(true)
                .setPort(port);
        settings.forEach(builder::setServerConfig);
        try (EmbeddedPostgres postgres = builder.start()) {
            String url = "jdbc:postgresql://localhost:" + port + "/postgres";
            Map<String, String> properties = Map.of(StoreConfig.URL, url, StoreConfig.USER, "postgres");
            try (ObjectStore store = ObjectStores.open(StoreConfig.fromProperties(properties), Clock.systemUTC());
                    Connection connection = DriverManager.getConnection(url, "postgres", "");
                    Statement statement = connection.createStatement()) {
                if (statementStatistics) {
                    statement.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
                }
                for (String sql : variant.split(";")) {
                    if (!sql.isBlank()) {
                        statement.execute(sql);
                    }
                }
                if (statementStatistics) {
                    statement.execute("SELECT pg_stat_statements_reset()");
                }
                store.createCollection(CollectionInfo.of("import-cost", "import cost"));
                Path serverData = directory.resolve("data");
                Map<String, Duration> before = processCpu(serverData);
                long start = System.nanoTime();
                for (int from = 0; from < count; from += BATCH_SIZE) {
                    store.addObjects("import-cost", objects.subList(from, Math.min(count, from + BATCH_SIZE)));
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                Map<String, Duration> after = processCpu(serverData);
                Duration total = Duration.ZERO;
                for (Map.Entry<String, Duration> process : after.entrySet()) {
                    Duration used = process.getValue().minus(before.getOrDefault(process.getKey(), Duration.ZERO));
                    total = total.plus(used);
                    if (used.toMillis() >= 50) {
                        System.out.printf("  server process %s: %.1f s CPU%n", process.getKey(), used.toMillis() / 1e3);
                    }
                }
                System.out.printf("import cost%s: %,d objects in %.1f s = %,.0f objects/s; server CPU %.1f s = %.1f µs per object; load average %s%n",
                        variant.isBlank() ? "" : " (" + variant + ")", count, seconds, count / seconds, total.toMillis() / 1e3,
                        total.toNanos() / 1e3 / count, Files.readString(Path.of("/proc/loadavg")).strip());
                print(statement, "SELECT relname, pg_size_pretty(pg_relation_size(oid)) FROM pg_class WHERE relname IN "
                        + "('objects', 'objects_pkey', 'objects_by_date_added', 'objects_by_type', 'events', 'events_pkey') ORDER BY relname");
                if (statementStatistics) {
                    print(statement, "SELECT calls, round(total_exec_time), rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 100) "
                            + "FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 10");
                }
            }
        }
    }

    /** CPU time so far of each running server process, by name and process id. */
    private static Map<String, Duration> processCpu(Path serverData)
            throws IOException
    {
        long postmaster = Long.parseLong(Files.readAllLines(serverData.resolve("postmaster.pid")).get(0).strip());
        Map<String, Duration> processes = new TreeMap<>();
        ProcessHandle.of(postmaster).ifPresent(server -> {
            processes.put("postmaster " + postmaster, server.info().totalCpuDuration().orElse(Duration.ZERO));
            server.descendants().forEach(process -> processes.put(
                    title(process.pid()) + " " + process.pid(),
                    process.info().totalCpuDuration().orElse(Duration.ZERO)));
        });
        return processes;
    }

    /** The title a server process gives itself ("postgres: walwriter", a backend's user and database), without its current command. */
    private static String title(long pid)
    {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ').strip()
                    .replaceAll(" (idle|INSERT|SELECT|UPDATE|COPY|COMMIT|ANALYZE|TRUNCATE).*", "");
        }
        catch (IOException e) {
            // The process ended between the listing and the read.
            return "ended";
        }
    }

    private static void print(Statement statement, String query)
            throws SQLException
    {
        try (ResultSet rows = statement.executeQuery(query)) {
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                List<String> values = new ArrayList<>();
                for (int column = 1; column <= columns; column++) {
                    values.add(rows.getString(column));
                }
                System.out.println("  " + String.join(" | ", values));
            }
        }
    }
}
