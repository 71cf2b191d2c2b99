package io.auditrail.index;

import java.util.List;

/**
 * The PostgreSQL roles of sql/V23__stage_roles.sql and V51__archive_role.sql, one per stage that uses the database, each with only what its
 * stage needs (docs/SECURITY.md). A deployment logs each stage in as a member of its role
 * ({@code index.postgres.user}, {@code alerts.postgres.user}, {@code reports.postgres.user},
 * {@code archive.postgres.user}); the schema's owner ({@code postgres.user}) only migrates. Ingest and streams use no
 * database.
 */
public final class DatabaseRoles {
    /** Adds events and anomalies, manages day partitions through the owner's functions. */
    public static final String INDEX = "auditrail_index";
    /** Records alert deliveries. */
    public static final String ALERTS = "auditrail_alerts";
    /** Reads the index; appends to the meta-audit and dispositions; manages tokens and console sessions. */
    public static final String SERVE = "auditrail_serve";
    /** Reads and appends to the archive's chain head. */
    public static final String ARCHIVE = "auditrail_archive";
    public static final List<String> ALL = List.of(INDEX, ALERTS, SERVE, ARCHIVE);

    private DatabaseRoles() {
    }
}
