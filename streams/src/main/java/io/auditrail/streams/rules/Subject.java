package io.auditrail.streams.rules;

import io.auditrail.core.event.Actor;
import io.auditrail.core.event.AuditEvent;
import io.auditrail.core.event.PairedEvent;

/**
 * Who a rule counts against, and the key detection is partitioned by: {@code entity:<id>} when the token has an
 * identity entity, else {@code token:<hmac accessor>} (root and orphan tokens have no entity), else
 * {@code addr:<remote address>}, else {@code -}. Logins are counted per source address, since a failed login
 * has no identity yet.
 */
public final class Subject {
    public static final String NONE = "-";

    private Subject() {
    }

    public static String of(PairedEvent paired) {
        AuditEvent e = paired.event();
        Actor a = e.actor();
        if (isLogin(e.path())) {
            return address(a);
        }
        if (a != null && a.entityId() != null && !a.entityId().isEmpty()) {
            return "entity:" + a.entityId();
        }
        if (a != null && a.accessor() != null && !a.accessor().isEmpty()) {
            return "token:" + a.accessor();
        }
        return address(a);
    }

    /**
     * The key counting state and merged anomalies are kept under: the event's tenant and its subject. A shared
     * address or entity seen in two tenants is two keys, so an anomaly filed under one tenant never counts, nor links
     * to, another tenant's events.
     */
    static String withinTenant(String tenantId, String subject) {
        return (tenantId == null ? NONE : tenantId) + "|" + subject;
    }

    private static String address(Actor a) {
        return a != null && a.remoteAddress() != null && !a.remoteAddress().isEmpty()
                ? "addr:" + a.remoteAddress() : NONE;
    }

    /** {@code auth/<mount>/login[/...]}: every auth method's login endpoint. */
    public static boolean isLogin(String path) {
        return path != null && path.startsWith("auth/") && (path.contains("/login/") || path.endsWith("/login"));
    }
}
