package io.auditrail.simulator;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * How many anomalies of each rule to plant. Each planted instance has its own actor (and address), so it makes
 * exactly one anomaly on {@code vault.audit.anomalies}, whatever the rules' merge windows.
 *
 * @param counts instances per rule; rules left out plant none
 */
public record AnomalyMix(Map<PlantedRule, Integer> counts) {
    /** At most this many instances per rule: each needs its own slot of event time. */
    public static final int MAX_PER_RULE = 20;

    public AnomalyMix {
        EnumMap<PlantedRule, Integer> copy = new EnumMap<>(PlantedRule.class);
        counts.forEach((rule, n) -> {
            if (n < 0 || n > MAX_PER_RULE) {
                throw new IllegalArgumentException("planted " + rule.wire() + " must be 0.." + MAX_PER_RULE + ": " + n);
            }
            if (n > 0) {
                copy.put(rule, n);
            }
        });
        counts = Collections.unmodifiableMap(copy);
    }

    /** Normal traffic only: no rule should fire. */
    public static AnomalyMix none() {
        return new AnomalyMix(Map.of());
    }

    /** Every rule once: the default. */
    public static AnomalyMix oncePerRule() {
        return each(1);
    }

    public static AnomalyMix each(int n) {
        EnumMap<PlantedRule, Integer> m = new EnumMap<>(PlantedRule.class);
        for (PlantedRule r : PlantedRule.values()) {
            m.put(r, n);
        }
        return new AnomalyMix(m);
    }

    /**
     * Parses the CLI form: {@code off} (or {@code none}), {@code on} (every rule once), or a comma list of
     * {@code rule=count}, where {@code all=count} sets every rule and later entries override it, e.g.
     * {@code all=1,cross_tenant_access=3,audit_gap=0}.
     */
    public static AnomalyMix parse(String text) {
        String t = text.trim();
        if (t.equals("off") || t.equals("none")) {
            return none();
        }
        if (t.equals("on")) {
            return oncePerRule();
        }
        EnumMap<PlantedRule, Integer> m = new EnumMap<>(PlantedRule.class);
        for (String part : t.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("expected rule=count, got '" + part.trim() + "'");
            }
            int n;
            try {
                n = Integer.parseInt(kv[1].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("count of " + kv[0].trim() + " is not a number: " + kv[1].trim());
            }
            if (kv[0].trim().equals("all")) {
                for (PlantedRule r : PlantedRule.values()) {
                    m.put(r, n);
                }
            } else {
                m.put(PlantedRule.ofWire(kv[0].trim()), n);
            }
        }
        return new AnomalyMix(m);
    }

    public int count(PlantedRule rule) {
        return counts.getOrDefault(rule, 0);
    }

    public boolean isEmpty() {
        return counts.isEmpty();
    }

    public int max() {
        return counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    public int total() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }
}
