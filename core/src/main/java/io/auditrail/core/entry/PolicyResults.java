package io.auditrail.core.entry;

import java.util.List;

/** Vault's ACL decision for a request ({@code auth.policy_results}). */
public record PolicyResults(boolean allowed, List<GrantingPolicy> grantingPolicies) {
    public PolicyResults {
        grantingPolicies = List.copyOf(grantingPolicies);
    }
}
