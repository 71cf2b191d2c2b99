package io.auditrail.core.entry;

/** One policy that granted a request ({@code auth.policy_results.granting_policies[]}). */
public record GrantingPolicy(String name, String namespaceId, String namespacePath, String type) {
}
