package io.auditrail.reports.console;

import io.auditrail.reports.query.QueryFailed;
import io.auditrail.reports.token.Principal;
import io.auditrail.reports.token.Role;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Console sessions in {@code console_session} (V22): a session id is 32 random bytes (base64url), given to the
 * browser once as its cookie; only its SHA-256 is stored. A session is valid while its token is (neither revoked nor
 * expired), for at most {@code maxAge} from sign-in, and while it is used: {@code idle} without a request ends it.
 * Signing out deletes it, so a copied cookie is worthless afterwards. Last use is written at most once a minute.
 */
final class SessionStore {
    /** How stale {@code last_seen_at} may get before a request writes it again (bounds the writes per session). */
    static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
    private static final int ID_BYTES = 32;
    private static final int MAX_ID_LENGTH = 64;

    private final DataSource dataSource;
    private final Clock clock;
    private final Duration idle;
    private final Duration maxAge;
    private final SecureRandom random = new SecureRandom();

    SessionStore(DataSource dataSource, Clock clock, Duration idle, Duration maxAge) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.idle = idle;
        this.maxAge = maxAge;
    }

    /** Opens a session for a principal just authenticated by its bearer; returns the id, the only time it exists. */
    String start(Principal principal) {
        byte[] secret = new byte[ID_BYTES];
        random.nextBytes(secret);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement purge = c.prepareStatement("DELETE FROM console_session WHERE expires_at <= ? "
                    + "OR last_seen_at <= ?")) {
                purge.setTimestamp(1, Timestamp.from(now));
                purge.setTimestamp(2, Timestamp.from(now.minus(idle)));
                purge.executeUpdate(); // sessions nobody can use any more, so the table holds only live ones
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO console_session (session_hash, token_id, "
                    + "created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)")) {
                ps.setBytes(1, sha256(id));
                ps.setString(2, principal.tokenId());
                ps.setTimestamp(3, Timestamp.from(now));
                ps.setTimestamp(4, Timestamp.from(now));
                ps.setTimestamp(5, Timestamp.from(now.plus(maxAge)));
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw new QueryFailed("cannot start a console session", e);
        }
        return id;
    }

    /** The principal of a live session; empty (and the session deleted) when it is unknown, idle, old or its token is not valid. */
    Optional<Principal> resume(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        byte[] hash = sha256(id);
        try (Connection c = dataSource.getConnection()) {
            Principal principal = null;
            Instant lastSeen = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT t.token_id, t.role, t.tenants, s.last_seen_at "
                    + "FROM console_session s JOIN api_token t ON t.token_id = s.token_id WHERE s.session_hash = ? "
                    + "AND s.expires_at > ? AND s.last_seen_at > ? AND t.revoked_at IS NULL AND t.expires_at > ?")) {
                ps.setBytes(1, hash);
                ps.setTimestamp(2, Timestamp.from(now));
                ps.setTimestamp(3, Timestamp.from(now.minus(idle)));
                ps.setTimestamp(4, Timestamp.from(now));
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        principal = new Principal(rs.getString(1), Role.parse(rs.getString(2)),
                                Set.copyOf(tenants(rs.getArray(3))));
                        lastSeen = rs.getTimestamp(4).toInstant();
                    }
                }
            }
            if (principal == null) {
                delete(c, hash); // gone for good: an idle, old or revoked session never comes back
                return Optional.empty();
            }
            if (!lastSeen.plus(TOUCH_EVERY).isAfter(now)) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE console_session SET last_seen_at = ? "
                        + "WHERE session_hash = ?")) {
                    ps.setTimestamp(1, Timestamp.from(now));
                    ps.setBytes(2, hash);
                    ps.executeUpdate();
                }
            }
            return Optional.of(principal);
        } catch (SQLException e) {
            throw new QueryFailed("cannot read the console session", e);
        }
    }

    /** Ends a session (sign-out). */
    void end(String id) {
        try (Connection c = dataSource.getConnection()) {
            delete(c, sha256(id));
        } catch (SQLException e) {
            throw new QueryFailed("cannot end the console session", e);
        }
    }

    private static void delete(Connection c, byte[] hash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM console_session WHERE session_hash = ?")) {
            ps.setBytes(1, hash);
            ps.executeUpdate();
        }
    }

    private static List<String> tenants(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }

    static byte[] sha256(String id) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
