package io.auditrail.app.health;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The readiness of the process: every registered check, run on demand (by {@code /readyz}). A check's reason
 * (an exception's text: a SQL error, a host name, a bucket) is for operators, so it goes to the log, once per change;
 * {@link #publicView} is what an unauthenticated caller may see: each check's name and whether it passes.
 */
public final class Readiness {
    private static final Logger LOG = LoggerFactory.getLogger(Readiness.class);
    /** What {@link #publicView} shows for a failing check, whatever its reason. */
    public static final String NOT_READY = "not ready";
    private static final String OK = "ok";

    private final List<ReadinessCheck> checks = new CopyOnWriteArrayList<>();
    private final Map<String, String> lastReasons = new ConcurrentHashMap<>();

    public Readiness add(ReadinessCheck check) {
        checks.add(check);
        return this;
    }

    /** Result per check: "ok" or the reason it failed. Ready when every value is "ok" (and there is one). */
    public Map<String, String> evaluate() {
        Map<String, String> out = new LinkedHashMap<>();
        for (ReadinessCheck c : checks) {
            String result;
            try {
                c.check();
                result = OK;
            } catch (Exception e) {
                String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                result = reason.lines().findFirst().orElse(reason);
            }
            out.put(c.name(), result);
            logChange(c.name(), result);
        }
        return out;
    }

    /** The results without the reasons: "ok" or {@value #NOT_READY} per check. */
    public static Map<String, String> publicView(Map<String, String> results) {
        Map<String, String> out = new LinkedHashMap<>();
        results.forEach((name, result) -> out.put(name, OK.equals(result) ? OK : NOT_READY));
        return out;
    }

    public static boolean ready(Map<String, String> results) {
        return !results.isEmpty() && results.values().stream().allMatch(OK::equals);
    }

    private void logChange(String name, String result) {
        String before = lastReasons.put(name, result);
        if (result.equals(before)) {
            return;
        }
        if (OK.equals(result)) {
            if (before != null) {
                LOG.info("readiness: {} is ok again", name);
            }
        } else {
            LOG.warn("readiness: {} is not ready: {}", name, result);
        }
    }
}
