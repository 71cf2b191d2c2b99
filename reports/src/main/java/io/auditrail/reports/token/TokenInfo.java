package io.auditrail.reports.token;

import java.time.Instant;
import java.util.List;

/** What {@link TokenStore#list()} shows of a token: everything but its hash. {@code revokedAt} is null while valid. */
public record TokenInfo(String tokenId, String name, Role role, List<String> tenants, Instant createdAt,
                        String createdBy, Instant expiresAt, Instant revokedAt) {
    public TokenInfo {
        tenants = List.copyOf(tenants);
    }

    /** Usable at {@code now}: neither revoked nor expired. */
    public boolean activeAt(Instant now) {
        return revokedAt == null && expiresAt.isAfter(now);
    }
}
