package org.vigie.store;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import javax.sql.DataSource;

import java.util.function.UnaryOperator;

import static java.util.Objects.requireNonNull;

/**
 * Flyway migrations of a module that keeps its own tables beside the store's (the exchange, the console's search
 * index): per-vendor DDL under {@code classpath:<root>/sqlite} or {@code classpath:<root>/postgresql}, with its own
 * history table; on PostgreSQL in its own schema, which Flyway creates and where the history table lives too.
 */
public final class ModuleMigrations
{
    private ModuleMigrations() {}

    /**
     * Migrates; {@code extra} adds a module's own settings (for example a baseline for files written before the
     * migrations existed), {@code purpose} names the database in the error.
     */
    public static void migrate(DataSource dataSource, boolean postgresql, String root, String historyTable, String postgresqlSchema, UnaryOperator<FluentConfiguration> extra, String purpose)
    {
        requireNonNull(dataSource, "dataSource is null");
        requireNonNull(root, "root is null");
        requireNonNull(historyTable, "historyTable is null");
        requireNonNull(postgresqlSchema, "postgresqlSchema is null");
        requireNonNull(extra, "extra is null");
        requireNonNull(purpose, "purpose is null");
        try {
            FluentConfiguration configuration = Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:" + root + "/" + (postgresql ? "postgresql" : "sqlite"))
                    .table(historyTable);
            if (postgresql) {
                configuration = configuration.schemas(postgresqlSchema);
            }
            extra.apply(configuration).load().migrate();
        }
        catch (FlywayException e) {
            throw new VigieException(ErrorCode.STORE_MIGRATION_FAILED, purpose + ": schema migration failed: " + e.getMessage(), e);
        }
    }
}
