package io.auditrail.core.event;

import java.util.List;

/**
 * Who acted: the token's identity as Vault logged it in plain text. {@code accessor} is present only
 * when Vault HMAC'd it; a token or accessor logged raw is never carried here.
 */
public record Actor(
        String entityId,
        String displayName,
        List<String> policies,
        String tokenType,
        Long tokenTtl,
        String accessor,
        String remoteAddress,
        Integer remotePort) {

    public Actor {
        policies = policies == null ? List.of() : List.copyOf(policies);
    }
}
