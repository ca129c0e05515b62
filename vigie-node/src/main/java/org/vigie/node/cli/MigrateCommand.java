package org.vigie.node.cli;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.node.config.NodeConfig;
import org.vigie.node.exchange.ExchangeStateCopy;
import org.vigie.store.StoreConfig;
import org.vigie.store.migration.MigrationSummary;
import org.vigie.store.migration.StoreMigration;
import picocli.CommandLine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/**
 * {@code vigie migrate}: copies the data directory's store (the {@code store.url} in effect) into an empty
 * database, usually PostgreSQL, and verifies the copy. With a PostgreSQL target, the exchange state of
 * {@code <data-dir>/exchange.db} is copied into the same database (where a node whose store is there opens
 * its exchange) and verified too: row counts and checksums per table, and the audit ledger's hash chain.
 */
@CommandLine.Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Copy the node's whole store (collections, every object version with its date added, statuses, users, tokens, events) into an empty database and verify the copy;",
                "with a PostgreSQL target, also the exchange state (audit ledger, partners, groups, policy, outboxes, inbox sequences and receipts), verified by counts, checksums and the ledger's hash chain.",
                "Stop the node first: rows it writes during the copy make verification fail.",
                "The password is read from the first line of standard input with --password-stdin (never from the command line)."})
final class MigrateCommand
        implements Callable<Integer>
{
    static final String EXCHANGE_DATABASE_FILE = "exchange.db";
    private static final String SQLITE_SHORT_PREFIX = "sqlite:";
    private static final String POSTGRESQL_SHORT_PREFIX = "postgresql://";

    private final CommandContext context;

    @CommandLine.Mixin
    MigrationSource dataDirectory;

    /** The data directory, or the store file named by {@code --from} (whose directory is then the data directory). */
    static final class MigrationSource
            extends DataDirectoryOption
    {
        Optional<Path> storeFile = Optional.empty();
    }

    @CommandLine.Option(names = "--from", paramLabel = "sqlite:FILE",
            description = "Source store file (instead of --data-dir): its directory is taken as the data directory (exchange.db, exchange-identity.json).")
    String from;

    @CommandLine.Option(names = "--to", required = true, paramLabel = "URL",
            description = "Target database: postgresql://HOST[:PORT]/DB or jdbc:postgresql://HOST[:PORT]/DB (or sqlite:FILE, jdbc:sqlite:FILE); it must be empty.")
    String to;

    @CommandLine.Option(names = "--user", paramLabel = "USER", description = "User name of the target database.")
    String user;

    @CommandLine.Option(names = "--password-stdin", description = "Read the target database's password from the first line of standard input.")
    boolean passwordFromStandardInput;

    MigrateCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        if (from != null) {
            String file = from.strip();
            if (!file.startsWith(SQLITE_SHORT_PREFIX) || file.length() == SQLITE_SHORT_PREFIX.length()) {
                throw new VigieException(ErrorCode.INVALID_ARGUMENT, "--from: '" + from + "' must be sqlite:FILE, the store file of the node to migrate");
            }
            Path storeFile = Path.of(file.substring(SQLITE_SHORT_PREFIX.length())).toAbsolutePath().normalize();
            if (!Files.isRegularFile(storeFile)) {
                throw new VigieException(ErrorCode.INVALID_ARGUMENT, "--from: store file " + storeFile + " does not exist");
            }
            dataDirectory.dataDirectory = storeFile.getParent();
            dataDirectory.storeFile = Optional.of(storeFile);
        }
        NodeConfig config = dataDirectory.load();
        StoreConfig source = dataDirectory.storeFile.map(StoreConfig::sqlite).orElse(config.store());
        Optional<String> password = passwordFromStandardInput ? Optional.of(readPassword()) : Optional.empty();
        StoreConfig target;
        try {
            target = new StoreConfig(jdbcUrl(to.strip()), Optional.ofNullable(user).filter(name -> !name.isEmpty()), password, 1);
        }
        catch (VigieException e) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "--to: " + e.getMessage(), e);
        }
        ExchangeStateCopy exchange = ExchangeStateCopy.of(dataDirectory.dataDirectory, source, target);
        if (exchange.needed()) {
            // Checked before the store is copied, so that a refused exchange copy leaves the target untouched.
            exchange.requireEmptyTarget();
        }
        MigrationSummary summary = StoreMigration.copy(source, target, context.clock());
        summary.lines().forEach(context.out()::println);
        Path exchangeDatabase = dataDirectory.dataDirectory.resolve(EXCHANGE_DATABASE_FILE);
        if (exchange.needed()) {
            exchange.copy(context.clock()).forEach(context.out()::println);
        }
        else if (Files.exists(exchangeDatabase)) {
            context.out().println("the exchange database stays in " + exchangeDatabase.toAbsolutePath().normalize()
                    + ": with the store on SQLite, the node opens its exchange from that file");
        }
        context.out().println("store migrated; to use it, set store.url=" + target.url() + " (and store.user, store.password) in "
                + dataDirectory.dataDirectory.resolve(NodeConfig.PROPERTIES_FILE).toAbsolutePath().normalize());
        return Main.OK;
    }

    /** The JDBC url of a {@code postgresql:} or {@code sqlite:} shorthand; other text as it is. */
    static String jdbcUrl(String url)
    {
        if (url.startsWith(POSTGRESQL_SHORT_PREFIX)) {
            return "jdbc:" + url;
        }
        if (url.startsWith(SQLITE_SHORT_PREFIX)) {
            return "jdbc:" + url;
        }
        return url;
    }

    private String readPassword()
    {
        String line;
        try {
            line = new BufferedReader(new InputStreamReader(context.in(), StandardCharsets.UTF_8)).readLine();
        }
        catch (IOException e) {
            throw new VigieException(ErrorCode.IO_ERROR, "cannot read the password of the target database from standard input: " + e.getMessage(), e);
        }
        if (line == null || line.isEmpty()) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "--password-stdin: standard input has no password for the target database (an empty first line)");
        }
        return line;
    }
}
