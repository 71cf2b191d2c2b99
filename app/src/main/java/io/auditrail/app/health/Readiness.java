package io.auditrail.app.health;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** The readiness of the process: every registered check, run on demand (by {@code /readyz}). */
public final class Readiness {
    private final List<ReadinessCheck> checks = new CopyOnWriteArrayList<>();

    public Readiness add(ReadinessCheck check) {
        checks.add(check);
        return this;
    }

    /** Result per check: "ok" or the reason it failed. Ready when every value is "ok" (and there is one). */
    public Map<String, String> evaluate() {
        Map<String, String> out = new LinkedHashMap<>();
        for (ReadinessCheck c : checks) {
            try {
                c.check();
                out.put(c.name(), "ok");
            } catch (Exception e) {
                String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                out.put(c.name(), reason.lines().findFirst().orElse(reason));
            }
        }
        return out;
    }

    public static boolean ready(Map<String, String> results) {
        return !results.isEmpty() && results.values().stream().allMatch("ok"::equals);
    }
}
