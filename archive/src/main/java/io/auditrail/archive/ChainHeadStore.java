package io.auditrail.archive;

import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.config.PostgresLogin;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The digest chain's head kept outside the bucket: table {@code archive_chain_head} in PostgreSQL (migration V50), one
 * row per digest the archiver stored. The table is append-only and only moves forward (its triggers refuse anything
 * else), the archiver is its one writer, and verify and serve only read it: whoever deletes the newest digests from
 * the bucket cannot move the head back, so verify sees the chain stop short of it. docs/ARCHIVE.md says why here.
 *
 * <p>No pool: the archiver writes once per digest and a verify reads a few rows, so each call takes one connection
 * and gives it back.
 */
public final class ChainHeadStore {
    /** The head could not be recorded because the table holds another digest at or after it. */
    public static final class Conflict extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Conflict(String message) {
            super(message);
        }
    }

    /**
     * PostgreSQL could not be asked (down, refused the login): retried, unlike a {@link Conflict}. An
     * {@link IllegalStateException} as before, so callers that caught that still do.
     */
    public static final class Unavailable extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final String COLUMNS = "sequence, digest_key, sha256, created, recorded_at";

    private final DataSource dataSource;
    private final String bucket;

    ChainHeadStore(DataSource dataSource, String bucket) {
        this.dataSource = dataSource;
        this.bucket = bucket;
    }

    /** The table of {@code postgres.url} as {@code archive.postgres.user}, for the chain of {@code s3.bucket}. */
    public static ChainHeadStore open(ArchiveConfig config) {
        return open(config, config.postgresLogin());
    }

    /** The same table as another stage's role: serve reads the head as its own (SELECT only) role. */
    public static ChainHeadStore open(ArchiveConfig config, PostgresLogin login) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(config.core().getString(CoreConfig.POSTGRES_URL));
        ds.setUser(login.user());
        String password = login.password();
        if (!password.isEmpty()) {
            ds.setPassword(password);
        }
        ds.setConnectTimeout(5);
        ds.setSocketTimeout(30);
        ds.setApplicationName("auditrail-archive-chain-head");
        return new ChainHeadStore(ds, config.bucket());
    }

    /** The newest recorded digest, empty when none is recorded for this bucket. */
    public Optional<ChainHead> latest() {
        try (Connection c = dataSource.getConnection()) {
            return latest(c);
        } catch (SQLException e) {
            throw new Unavailable("reading the chain head failed: " + e.getMessage(), e);
        }
    }

    /** The recorded digests created in [from, to), in chain order. */
    public List<ChainHead> createdBetween(Instant from, Instant to) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                + " FROM archive_chain_head WHERE bucket = ? AND created >= ? AND created < ? ORDER BY sequence")) {
            ps.setString(1, bucket);
            ps.setTimestamp(2, Timestamp.from(from));
            ps.setTimestamp(3, Timestamp.from(to));
            return rows(ps);
        } catch (SQLException e) {
            throw new Unavailable("reading the chain head failed: " + e.getMessage(), e);
        }
    }

    /**
     * Records a stored digest as the new head. Recording the digest that is already the head again (a retry after a
     * lost answer) does nothing.
     *
     * @throws Conflict when the table already holds another digest at this sequence or a later one: the bucket's chain
     *                  is not the one recorded (digests deleted or replaced)
     */
    public void record(SignedDigest stored) {
        Digest d = Digest.parse(stored.body());
        try (Connection c = dataSource.getConnection()) {
            Optional<ChainHead> head = latest(c);
            if (head.isPresent() && head.get().sequence() >= d.sequence()) {
                if (head.get().sequence() == d.sequence() && head.get().matches(stored)) {
                    return;
                }
                throw new Conflict("the chain head recorded in PostgreSQL is " + head.get() + "; the bucket's digest "
                        + d.sequence() + " (" + stored.key() + ") does not follow it");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO archive_chain_head (bucket, sequence, "
                    + "digest_key, sha256, created) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, bucket);
                ps.setLong(2, d.sequence());
                ps.setString(3, stored.key());
                ps.setString(4, stored.sha256());
                ps.setTimestamp(5, Timestamp.from(d.created()));
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw new Unavailable("recording the chain head failed: " + e.getMessage(), e);
        }
    }

    private Optional<ChainHead> latest(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM archive_chain_head "
                + "WHERE bucket = ? ORDER BY sequence DESC LIMIT 1")) {
            ps.setString(1, bucket);
            return rows(ps).stream().findFirst();
        }
    }

    private static List<ChainHead> rows(PreparedStatement ps) throws SQLException {
        List<ChainHead> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new ChainHead(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
                        rs.getTimestamp(5).toInstant()));
            }
        }
        return out;
    }
}
