package io.auditrail.index;

import com.zaxxer.hikari.HikariDataSource;
import io.auditrail.core.config.Settings;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the Flyway migrations of {@code sql/} (shipped in this jar as {@code db/migration}), the only way the
 * schema changes. {@code auditrail migrate} calls {@link #migrate(Settings)}; the index stage does too when
 * {@code index.migrate.on.start} is set. Safe to run concurrently: Flyway locks its history table.
 */
public final class Migrations {
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
    public static final String LOCATION = "classpath:db/migration";

    private Migrations() {
    }

    /**
     * @param applied       migrations this run applied (0 when the schema was current)
     * @param schemaVersion the schema version after the run
     */
    public record Result(int applied, String schemaVersion) {
    }

    /** Migrates as the schema's owner ({@code postgres.user}), whatever role the index stage writes as. */
    public static Result migrate(Settings settings) {
        PostgresSettings pg = new IndexConfig(settings).owner();
        try (HikariDataSource ds = pg.pool("auditrail-migrate")) {
            return migrate(ds);
        }
    }

    public static Result migrate(DataSource dataSource) {
        MigrateResult r = Flyway.configure()
                .dataSource(dataSource)
                .locations(LOCATION)
                .failOnMissingLocations(true)
                .load()
                .migrate();
        String version = r.targetSchemaVersion != null ? r.targetSchemaVersion : r.initialSchemaVersion;
        if (r.migrationsExecuted > 0) {
            LOG.info("schema migrated to version {} ({} migrations applied)", version, r.migrationsExecuted);
        } else {
            LOG.info("schema is current at version {}", version);
        }
        return new Result(r.migrationsExecuted, version);
    }
}
