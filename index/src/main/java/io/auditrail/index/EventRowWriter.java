package io.auditrail.index;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * Writes event rows into {@code audit_event}: COPY into a session-local staging table, then
 * {@code INSERT ... SELECT ... ON CONFLICT DO NOTHING}, one transaction per batch. Idempotent on
 * (event_id, event_time): a re-delivered event changes nothing and counts as a duplicate.
 *
 * <p>An event of tenant A's token on tenant B's path that an anomaly already lists is attributed to B in
 * {@code anomaly_path_tenant} in the same transaction (docs/SCHEMA.md).
 *
 * <p>Partitions: each write holds the partition lock shared, so retention cannot drop a partition under it; a day
 * without a partition gets one first (under the lock held exclusively); rows of a day whose partition retention
 * already dropped are not written and come back as expired.
 */
public final class EventRowWriter {
    /** pg_advisory lock key serialising partition DDL (create, drop) against writes. */
    static final long PARTITION_LOCK = 0x617564_69747261L;
    static final String STAGING = "audit_event_stage";
    private static final String COLUMN_LIST = String.join(", ", EventRow.COLUMNS);
    private static final String CREATE_STAGING = "CREATE TEMP TABLE IF NOT EXISTS " + STAGING
            + " (LIKE " + EventPartition.PARENT + " INCLUDING DEFAULTS) ON COMMIT DELETE ROWS";
    private static final String COPY = "COPY " + STAGING + " (" + COLUMN_LIST + ") FROM STDIN";
    private static final String INSERT = "INSERT INTO " + EventPartition.PARENT + " (" + COLUMN_LIST + ") SELECT "
            + COLUMN_LIST + " FROM " + STAGING + " ON CONFLICT DO NOTHING";
    /**
     * The batch's cross-tenant events (tenant A's token on tenant B's path) that anomalies already written list:
     * attributed to B, so B sees those anomalies ({@link AnomalyRowWriter} does the same from the anomaly's side).
     */
    private static final String ATTRIBUTE = "INSERT INTO anomaly_path_tenant (tenant_id, anomaly_id, event_id, "
            + "event_time) SELECT s.path_tenant_id, a.anomaly_id, s.event_id, s.event_time FROM " + STAGING + " s "
            + "JOIN anomaly a ON a.event_ids @> ARRAY[s.event_id] WHERE s.path_tenant_id IS NOT NULL "
            + "AND s.path_tenant_id IS DISTINCT FROM s.tenant_id AND s.path_tenant_id IS DISTINCT FROM a.tenant_id "
            + "ON CONFLICT DO NOTHING";
    /** Per day: whether its partition exists (catalog) and whether retention dropped it (bookkeeping). */
    private static final String DAY_STATES = "SELECT d, to_regclass('" + EventPartition.PARENT
            + "_p' || to_char(d, 'YYYYMMDD')) IS NOT NULL, "
            + "EXISTS (SELECT 1 FROM event_partition p WHERE p.day = d AND p.dropped_at IS NOT NULL) "
            + "FROM unnest(?::date[]) AS d";

    /** Below this many rows per connection a batch is written on one connection: splitting would cost more. */
    static final int MIN_SLICE = 500;

    private final DataSource dataSource;
    private final int connections;
    private final ExecutorService slices;

    public EventRowWriter(DataSource dataSource) {
        this(dataSource, 1);
    }

    /**
     * @param connections how many connections write one batch at once, each its slice in its own transaction. A
     *                    COPY keeps one PostgreSQL backend busy on one core; a second connection uses another (raw COPY
     *                    of the same rows here: 43.9k rows/s on one connection, 68.9k on two; bench/RESULTS.md).
     */
    public EventRowWriter(DataSource dataSource, int connections) {
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be at least 1: " + connections);
        }
        this.dataSource = dataSource;
        this.connections = connections;
        AtomicInteger n = new AtomicInteger();
        this.slices = connections == 1 ? null : Executors.newFixedThreadPool(connections, r -> {
            Thread t = new Thread(r, "index-writer-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * What one {@link #write} did. {@code inserted + duplicates + expired.size() + rejected.size()} is the number of
     * rows given.
     *
     * @param expired  indexes of rows whose day partition was already dropped by retention
     * @param rejected rows PostgreSQL refused, with the reason
     * @param created  partitions this write had to create
     */
    public record Result(long inserted, long duplicates, List<Integer> expired, List<SqlErrors.Rejection> rejected,
                         List<EventPartition> created) {
    }

    /**
     * Writes the rows; throws {@link SQLException} on a failure that is not the rows' fault (nothing is lost: call
     * again with the same rows). Rows PostgreSQL refuses are isolated and returned, the others written.
     */
    public Result write(List<EventRow> rows) throws SQLException {
        if (slices == null || rows.size() < 2 * MIN_SLICE) {
            return writeSlice(rows);
        }
        // slices by event id: two copies of one event (Vault's resend within a batch) then meet in one transaction.
        // Copies in two concurrent transactions could each wait for the other's uncommitted row: a deadlock.
        List<List<Integer>> positions = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            positions.add(new ArrayList<>());
        }
        for (int i = 0; i < rows.size(); i++) {
            positions.get(Math.floorMod(rows.get(i).eventId().hashCode(), connections)).add(i);
        }
        List<Future<Result>> running = new ArrayList<>();
        for (List<Integer> slice : positions) {
            List<EventRow> part = slice.stream().map(rows::get).toList();
            running.add(slices.submit(() -> writeSlice(part)));
        }
        SQLException failure = null;
        long inserted = 0;
        long duplicates = 0;
        List<Integer> expired = new ArrayList<>();
        List<SqlErrors.Rejection> rejected = new ArrayList<>();
        List<EventPartition> created = new ArrayList<>();
        for (int s = 0; s < running.size(); s++) {
            Result r;
            try {
                r = running.get(s).get(); // every slice ends before a failure is thrown: a retry meets no stragglers
            } catch (ExecutionException e) {
                SQLException cause = e.getCause() instanceof SQLException q ? q
                        : new SQLException("writing a slice failed: " + e.getCause(), "58000", e.getCause());
                failure = failure == null ? cause : failure;
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while writing", "57014", e);
            }
            List<Integer> slice = positions.get(s);
            inserted += r.inserted();
            duplicates += r.duplicates();
            r.expired().forEach(i -> expired.add(slice.get(i)));
            r.rejected().forEach(j -> rejected.add(new SqlErrors.Rejection(slice.get(j.index()), j.reason())));
            created.addAll(r.created());
        }
        if (failure != null) {
            throw failure; // slices that committed are harmless to write again: ON CONFLICT DO NOTHING
        }
        expired.sort(null);
        rejected.sort(java.util.Comparator.comparingInt(SqlErrors.Rejection::index));
        return new Result(inserted, duplicates, expired, rejected, created);
    }

    /** Stops the slice threads; the writer is not used afterwards. */
    public void close() {
        if (slices != null) {
            slices.shutdownNow();
        }
    }

    private Result writeSlice(List<EventRow> rows) throws SQLException {
        List<SqlErrors.Rejection> rejected = new ArrayList<>();
        List<Result> parts = SqlErrors.isolate(rows.size(), (from, to) -> writeOnce(rows, from, to), rejected);
        long inserted = 0;
        long duplicates = 0;
        List<Integer> expired = new ArrayList<>();
        List<EventPartition> created = new ArrayList<>();
        for (Result r : parts) {
            inserted += r.inserted();
            duplicates += r.duplicates();
            expired.addAll(r.expired());
            created.addAll(r.created());
        }
        return new Result(inserted, duplicates, expired, rejected, created);
    }

    private Result writeOnce(List<EventRow> rows, int from, int to) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                return writeOnce(c, rows, from, to);
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            }
        }
    }

    private Result writeOnce(Connection c, List<EventRow> rows, int from, int to) throws SQLException {
        Set<LocalDate> days = new TreeSet<>();
        for (int i = from; i < to; i++) {
            days.add(rows.get(i).partition().day());
        }
        List<EventPartition> created = new ArrayList<>();
        Set<LocalDate> dropped = new HashSet<>();
        for (int attempt = 0; ; attempt++) {
            lock(c, true);
            Set<LocalDate> missing = new TreeSet<>();
            dropped.clear();
            dayStates(c, days, missing, dropped);
            if (missing.isEmpty()) {
                break;
            }
            if (attempt == 2) {
                throw new SQLException("partitions for " + missing + " still missing after creating them", "55000");
            }
            c.rollback(); // releases the shared lock: creating takes it exclusively
            created.addAll(createPartitions(c, missing));
            c.commit();
        }
        StringBuilder copy = new StringBuilder((to - from) * 512);
        List<Integer> expired = new ArrayList<>();
        int written = 0;
        boolean crossTenant = false;
        for (int i = from; i < to; i++) {
            EventRow row = rows.get(i);
            if (dropped.contains(row.partition().day())) {
                expired.add(i);
            } else {
                row.appendCopy(copy);
                written++;
                crossTenant |= row.crossTenant();
            }
        }
        long inserted = 0;
        if (written > 0) {
            try (Statement s = c.createStatement()) {
                s.execute(CREATE_STAGING);
            }
            byte[] bytes = copy.toString().getBytes(StandardCharsets.UTF_8);
            try {
                c.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY, new ByteArrayInputStream(bytes), 1 << 16);
            } catch (IOException e) {
                throw new SQLException("COPY into " + STAGING + " failed: " + e.getMessage(), "08006", e);
            }
            try (Statement s = c.createStatement()) {
                inserted = s.executeUpdate(INSERT);
                if (crossTenant) {
                    s.executeUpdate(ATTRIBUTE);
                }
            }
        }
        c.commit();
        return new Result(inserted, written - inserted, expired, List.of(), created);
    }

    private static void dayStates(Connection c, Set<LocalDate> days, Set<LocalDate> missing, Set<LocalDate> dropped)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(DAY_STATES)) {
            ps.setString(1, days.stream().map(LocalDate::toString).collect(Collectors.joining(",", "{", "}")));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    LocalDate day = rs.getObject(1, LocalDate.class);
                    boolean exists = rs.getBoolean(2);
                    boolean wasDropped = rs.getBoolean(3);
                    if (wasDropped && !exists) {
                        dropped.add(day);
                    } else if (!exists) {
                        missing.add(day);
                    }
                }
            }
        }
    }

    /**
     * Creates the partitions of these days that do not exist and were never dropped, in the caller's transaction,
     * after taking the partition lock exclusively, through {@code create_event_partition} (the schema owner's, so
     * the index's role needs no right to create tables). Returns those it created.
     */
    static List<EventPartition> createPartitions(Connection c, Set<LocalDate> days) throws SQLException {
        lock(c, false);
        Set<LocalDate> missing = new TreeSet<>();
        Set<LocalDate> dropped = new HashSet<>();
        dayStates(c, days, missing, dropped);
        List<EventPartition> created = new ArrayList<>();
        for (LocalDate day : missing) {
            // the owner's function (V23): the index's role may not create tables, only day partitions through it
            try (PreparedStatement ps = c.prepareStatement("SELECT create_event_partition(?::date)")) {
                ps.setString(1, day.toString());
                ps.execute();
            }
            created.add(new EventPartition(day));
        }
        return created;
    }

    /** Takes the partition lock for the current transaction: shared for writes, exclusive for DDL. */
    static void lock(Connection c, boolean shared) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(shared ? "SELECT pg_advisory_xact_lock_shared(?)"
                : "SELECT pg_advisory_xact_lock(?)")) {
            ps.setLong(1, PARTITION_LOCK);
            ps.execute();
        }
    }

    static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
