package io.auditrail.core.entry;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * Who made the request ({@code auth}, and {@code response.auth} for the token a login created).
 * Token and accessor are HMAC'd by default; metadata, names, policies and entity id are plain.
 * Metadata values that are not strings (newer Vault allows any JSON) are kept as their JSON text.
 */
public record Auth(
        String clientToken,
        String accessor,
        String displayName,
        List<String> policies,
        List<String> tokenPolicies,
        List<String> identityPolicies,
        Map<String, List<String>> externalNamespacePolicies,
        Boolean noDefaultPolicy,
        PolicyResults policyResults,
        Map<String, String> metadata,
        Integer numUses,
        Integer remainingUses,
        String entityId,
        Boolean entityCreated,
        String tokenType,
        Long tokenTtl,
        OffsetDateTime tokenIssueTime,
        Map<String, RawJson> unknown) {

    public Auth {
        policies = policies == null ? List.of() : List.copyOf(policies);
        tokenPolicies = tokenPolicies == null ? List.of() : List.copyOf(tokenPolicies);
        identityPolicies = identityPolicies == null ? List.of() : List.copyOf(identityPolicies);
        externalNamespacePolicies = externalNamespacePolicies == null ? Map.of() : Map.copyOf(externalNamespacePolicies);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        unknown = unknown == null ? Map.of() : Map.copyOf(unknown);
    }

    /** Every policy the token carried, from all three lists, in first-seen order without repeats. */
    public List<String> allPolicies() {
        if (tokenPolicies.isEmpty() && identityPolicies.isEmpty()) {
            return policies;
        }
        var all = new java.util.LinkedHashSet<String>(policies);
        all.addAll(tokenPolicies);
        all.addAll(identityPolicies);
        return List.copyOf(all);
    }
}
