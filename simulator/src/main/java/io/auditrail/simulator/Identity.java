package io.auditrail.simulator;

import java.util.List;
import java.util.SortedMap;

/**
 * A token as Vault logs it in an entry's {@code auth} block. {@link #UNAUTHENTICATED} is the block of a login
 * request (no token yet: {@code token_type} "default").
 *
 * @param clientToken    HMAC'd token, or the plain token when the device logs raw (the raw-logging plant)
 * @param accessor       HMAC'd accessor, or plain likewise
 * @param policies       policies of the token; identity policies are not simulated
 * @param metadata       token metadata (plain in the log; {@code tenant_id} lives here), sorted as Go encodes maps
 * @param entityId       identity entity, or null (root and orphan tokens)
 * @param tokenTtl       seconds; 0 for none (root)
 * @param issueNanos     when the token was issued, epoch nanoseconds
 */
record Identity(String clientToken, String accessor, String displayName, List<String> policies,
                SortedMap<String, String> metadata, String entityId, String tokenType, long tokenTtl,
                long issueNanos) {
    static final Identity UNAUTHENTICATED = new Identity(null, null, null, List.of(), new java.util.TreeMap<>(),
            null, "default", 0, 0);

    boolean authenticated() {
        return clientToken != null;
    }

    /** The policy Vault names as granting access: the token's most specific one. */
    String grantingPolicy() {
        return policies.isEmpty() ? null : policies.get(policies.size() - 1);
    }

    Identity withTokens(String token, String acc) {
        return new Identity(token, acc, displayName, policies, metadata, entityId, tokenType, tokenTtl, issueNanos);
    }
}
