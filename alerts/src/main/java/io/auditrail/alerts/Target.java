package io.auditrail.alerts;

import java.net.URI;
import java.util.Objects;

/**
 * One place alerts go. The URL (a Slack webhook URL is itself a credential) and the PagerDuty routing key are
 * secrets: {@link #toString()} shows neither, and logs name a target only by {@link #name()}.
 *
 * @param routingKey the PagerDuty routing (integration) key; null for other types
 */
public record Target(String name, TargetType type, URI url, String routingKey) {
    public Target {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(url, "url");
        if (type == TargetType.PAGERDUTY && (routingKey == null || routingKey.isBlank())) {
            throw new IllegalArgumentException("target " + name + ": a pagerduty target needs a routing key");
        }
    }

    @Override
    public String toString() {
        return "Target[" + name + ", " + type.wire() + "]";
    }
}
