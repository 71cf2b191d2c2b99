package io.auditrail.alerts;

import io.auditrail.core.anomaly.Anomaly;
import io.auditrail.core.anomaly.Severity;
import java.util.List;
import java.util.Set;

/**
 * Which anomalies go to which targets: severity at least {@code minSeverity}, and the rule and tenant in their lists
 * (an empty list matches all; the tenant {@code -} stands for platform anomalies, which have no tenant).
 */
public record Route(String name, Severity minSeverity, Set<String> rules, Set<String> tenants, List<String> targets) {
    /** How platform anomalies (no tenant) are named in a route's tenant list, as on the topic key. */
    public static final String NO_TENANT = "-";

    public Route {
        rules = Set.copyOf(rules);
        tenants = Set.copyOf(tenants);
        targets = List.copyOf(targets);
    }

    public boolean matches(Anomaly a) {
        // Severity is declared most urgent first: a lower ordinal is at least as severe
        return a.severity().ordinal() <= minSeverity.ordinal()
                && (rules.isEmpty() || rules.contains(a.rule()))
                && (tenants.isEmpty() || tenants.contains(a.tenantId() == null ? NO_TENANT : a.tenantId()));
    }
}
