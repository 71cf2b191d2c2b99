package io.auditrail.index;

import com.zaxxer.hikari.HikariDataSource;
import io.auditrail.core.config.Settings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the event partitions in shape: creates the day partitions ahead of today and drops those past the retention
 * period, logging each dropped partition with its row count and recording it in {@code event_partition} (the proof
 * of retention). {@code auditrail retention} calls {@link #run(Settings, Clock)}; the index stage runs it on a
 * schedule. One transaction under the partition lock held exclusively, so no write lands in a partition being
 * dropped; writes wait for it (the exact row count of a large day partition takes a second or two).
 */
public final class PartitionRetention {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionRetention.class);
    private static final String LIST_PARTITIONS = "SELECT c.relname FROM pg_inherits i "
            + "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '" + EventPartition.PARENT + "'::regclass";

    private final DataSource dataSource;
    private final RetentionPolicy policy;
    private final Clock clock;

    public PartitionRetention(DataSource dataSource, RetentionPolicy policy, Clock clock) {
        this.dataSource = dataSource;
        this.policy = policy;
        this.clock = clock;
    }

    /** A partition retention dropped: its table, its day, and how many rows it held. */
    public record Dropped(String table, LocalDate day, long rows) {
    }

    /**
     * What one run did.
     *
     * @param today             today (UTC) by the run's clock
     * @param retentionStart    the oldest day kept by the policy (today minus the retention days)
     * @param created           partitions created ahead
     * @param dropped           partitions dropped, oldest first
     * @param oldestRetainedDay the oldest day partition left, if any: the start of the data an auditor can query
     */
    public record Result(LocalDate today, LocalDate retentionStart, List<EventPartition> created,
                         List<Dropped> dropped, Optional<LocalDate> oldestRetainedDay) {
    }

    /** One run with the process's settings ({@code index.retention.days}, {@code index.partitions.ahead.days}). */
    public static Result run(Settings settings, Clock clock) throws SQLException {
        IndexConfig config = new IndexConfig(settings);
        try (HikariDataSource ds = config.postgres().pool("auditrail-retention")) {
            return new PartitionRetention(ds, config.retentionPolicy(), clock).run();
        }
    }

    public Result run() throws SQLException {
        LocalDate today = EventPartition.dayOf(clock.instant());
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Result r = run(c, today);
                c.commit();
                for (Dropped d : r.dropped()) {
                    LOG.info("retention: dropped partition {} ({} rows, events of {}; retention {} days, keeping {} "
                            + "onwards)", d.table(), d.rows(), d.day(), policy.retentionDays(), r.retentionStart());
                }
                if (!r.created().isEmpty()) {
                    LOG.info("retention: created partitions {}", r.created().stream().map(EventPartition::tableName)
                            .toList());
                }
                return r;
            } catch (SQLException | RuntimeException e) {
                EventRowWriter.rollbackQuietly(c, e);
                throw e;
            }
        }
    }

    private Result run(Connection c, LocalDate today) throws SQLException {
        EventRowWriter.lock(c, false);
        List<EventPartition> existing = existing(c);
        Set<LocalDate> ahead = new TreeSet<>();
        for (EventPartition p : policy.ahead(today)) {
            if (!existing.contains(p)) {
                ahead.add(p.day());
            }
        }
        List<EventPartition> created = EventRowWriter.createPartitions(c, ahead);
        List<Dropped> dropped = new ArrayList<>();
        for (EventPartition p : policy.toDrop(existing, today)) {
            // counts, drops and records it (event_partition) as the schema's owner: the function of V23
            long rows;
            try (PreparedStatement ps = c.prepareStatement("SELECT drop_event_partition(?::date)")) {
                ps.setString(1, p.day().toString());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    rows = rs.getLong(1);
                }
            }
            dropped.add(new Dropped(p.tableName(), p.day(), rows));
        }
        Optional<LocalDate> oldest = existing(c).stream().map(EventPartition::day).min(LocalDate::compareTo);
        return new Result(today, policy.oldestRetained(today), created, dropped, oldest);
    }

    /** The day partitions of audit_event as the catalog has them (tables not named like ours are left alone). */
    static List<EventPartition> existing(Connection c) throws SQLException {
        List<EventPartition> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(LIST_PARTITIONS)) {
            while (rs.next()) {
                EventPartition.parse(rs.getString(1)).ifPresent(out::add);
            }
        }
        return out;
    }
}
