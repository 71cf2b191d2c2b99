package io.auditrail.reports.token;

import java.time.Instant;
import java.util.List;

/**
 * A token just created. {@code bearer} exists only here: the store keeps its SHA-256, so it cannot be shown again.
 */
public record CreatedToken(String tokenId, String bearer, Role role, List<String> tenants,
                           Instant expiresAt) {
    public CreatedToken {
        tenants = List.copyOf(tenants);
    }

    @Override
    public String toString() {
        return "CreatedToken[tokenId=" + tokenId + ", role=" + role + ", tenants=" + tenants + ", expiresAt="
                + expiresAt + "]"; // never the bearer
    }
}
