package io.auditrail.reports.token;

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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * API tokens in {@code api_token}: a bearer is {@code art_} + 32 random bytes (base64url), shown once at creation;
 * only its SHA-256 is stored, so a leak of the table leaks no usable token. {@code token_id} is the public name of a
 * token (meta-audit, dispositions, {@code list}).
 */
public final class TokenStore {
    public static final String BEARER_PREFIX = "art_";
    private static final int SECRET_BYTES = 32;
    /** The longest bearer worth hashing: prefix + 43 base64url characters; anything longer is not ours. */
    private static final int MAX_BEARER_LENGTH = 128;
    private static final int MAX_NAME_LENGTH = 200;
    /** The longest lifetime a token may be given unless the store is told otherwise (reports.token.max.ttl.days). */
    public static final Duration DEFAULT_MAX_TTL = Duration.ofDays(365);

    private final DataSource dataSource;
    private final Clock clock;
    private final Duration maxTtl;
    private final SecureRandom random = new SecureRandom();

    public TokenStore(DataSource dataSource) {
        this(dataSource, Clock.systemUTC());
    }

    public TokenStore(DataSource dataSource, Clock clock) {
        this(dataSource, clock, DEFAULT_MAX_TTL);
    }

    /** @param maxTtl the longest lifetime {@link #create} accepts: a bearer that outlives its audit is a liability */
    public TokenStore(DataSource dataSource, Clock clock, Duration maxTtl) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.maxTtl = maxTtl;
    }

    /**
     * Creates a token and returns its bearer string, the only time it is available.
     *
     * @param tenants   an auditor's tenants (at least one); must be empty for admin and compliance
     * @param createdBy the token id of the creator, or {@code cli}
     */
    public CreatedToken create(String name, Role role, Set<String> tenants, Duration ttl, String createdBy) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME_LENGTH
                || name.codePoints().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("a token needs a name of 1 to " + MAX_NAME_LENGTH
                    + " printable characters");
        }
        if (createdBy == null || createdBy.isBlank()) {
            throw new IllegalArgumentException("createdBy must name the creator");
        }
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("a token's time to live must be positive");
        }
        if (ttl.compareTo(maxTtl) > 0) {
            throw new IllegalArgumentException("a token may live at most " + maxTtl.toDays()
                    + " days (reports.token.max.ttl.days)");
        }
        List<String> scope = new ArrayList<>(new LinkedHashSet<>(tenants));
        scope.forEach(TenantName::check);
        if (role.tenantScoped() && scope.isEmpty()) {
            throw new IllegalArgumentException("an auditor token needs at least one tenant");
        }
        if (!role.tenantScoped() && !scope.isEmpty()) {
            throw new IllegalArgumentException("a " + role.dbName() + " token sees every tenant; give it no tenants");
        }
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        String bearer = BEARER_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        byte[] idBytes = new byte[8];
        random.nextBytes(idBytes);
        String tokenId = "tok_" + HexFormat.of().formatHex(idBytes);
        Instant expiresAt = clock.instant().plus(ttl);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO api_token (token_id, token_hash, name, role, "
                     + "tenants, created_at, created_by, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, tokenId);
            ps.setBytes(2, sha256(bearer));
            ps.setString(3, name);
            ps.setString(4, role.dbName());
            Array array = c.createArrayOf("text", scope.toArray());
            ps.setArray(5, array);
            ps.setTimestamp(6, Timestamp.from(clock.instant()));
            ps.setString(7, createdBy);
            ps.setTimestamp(8, Timestamp.from(expiresAt));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new TokenStoreException("cannot create token", e);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
        return new CreatedToken(tokenId, bearer, role, scope, expiresAt);
    }

    /** Every token, newest first, revoked and expired ones included; never a hash. */
    public List<TokenInfo> list() {
        List<TokenInfo> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT token_id, name, role, tenants, created_at, created_by, "
                     + "expires_at, revoked_at FROM api_token ORDER BY created_at DESC, token_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Timestamp revoked = rs.getTimestamp(8);
                out.add(new TokenInfo(rs.getString(1), rs.getString(2), Role.parse(rs.getString(3)),
                        tenants(rs.getArray(4)), rs.getTimestamp(5).toInstant(), rs.getString(6),
                        rs.getTimestamp(7).toInstant(), revoked == null ? null : revoked.toInstant()));
            }
        } catch (SQLException e) {
            throw new TokenStoreException("cannot list tokens", e);
        }
        return out;
    }

    /** Revokes a token; false when there is no such token or it was revoked before. */
    public boolean revoke(String tokenId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "UPDATE api_token SET revoked_at = ? WHERE token_id = ? AND revoked_at IS NULL")) {
            ps.setTimestamp(1, Timestamp.from(clock.instant()));
            ps.setString(2, tokenId);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new TokenStoreException("cannot revoke token " + tokenId, e);
        }
    }

    /**
     * The principal of a bearer string; empty when it is malformed, unknown, expired or revoked.
     * <p>
     * No constant-time comparison is needed: the secret is never compared. The lookup is by the SHA-256 of what was
     * presented, so what an attacker could time is an index probe for the hash of their own guess, which says
     * nothing about any stored token's bytes (and a hash cannot be steered towards a stored one).
     */
    public Optional<Principal> authenticate(String bearer) {
        if (bearer == null || !bearer.startsWith(BEARER_PREFIX) || bearer.length() > MAX_BEARER_LENGTH) {
            return Optional.empty();
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT token_id, role, tenants FROM api_token "
                     + "WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ?")) {
            ps.setBytes(1, sha256(bearer));
            ps.setTimestamp(2, Timestamp.from(clock.instant()));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Principal(rs.getString(1), Role.parse(rs.getString(2)),
                        Set.copyOf(tenants(rs.getArray(3)))));
            }
        } catch (SQLException e) {
            throw new TokenStoreException("cannot authenticate", e);
        }
    }

    private static List<String> tenants(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        return List.of((String[]) array.getArray());
    }

    static byte[] sha256(String bearer) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bearer.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
