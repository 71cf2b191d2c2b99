package io.auditrail.reports.limit;

import io.auditrail.reports.token.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Refusals per caller: calls without a valid token (no token, a wrong one, a failed console sign-in) per client
 * address, and a token's calls refused 429 per token. Within a caller's budget each refusal is recorded as its own
 * meta-audit row; beyond it the call is answered 429 and only counted, and {@link #drain} hands the counts over as
 * one summary row per route (and token). A flood of refused calls therefore costs the meta-audit, and the database,
 * one row per route per drain, whatever its rate, and every call is still accounted for (the rows' {@code calls} add
 * up to the calls answered).
 * <p>
 * The budget is a token bucket: {@code perMinute} refusals at once, refilled at {@code perMinute} a minute. At most
 * {@link #MAX_ADDRESSES} addresses are tracked; beyond, new addresses share one bucket (a spread-out flood then
 * throttles itself sooner, never later). Behind a proxy every caller has the proxy's address: the budget is then
 * shared, which limits only callers without a valid token. Thread-safe.
 */
public final class RefusalBudget {
    static final int MAX_ADDRESSES = 10_000;
    private static final String OVERFLOW = "*";

    /**
     * Refusals beyond the budget since the last drain, for one route and caller: {@code principal} null for calls
     * without a valid token (then {@code addresses} counts the callers), else the token and the tenants its first
     * refused call asked for.
     */
    public record Suppressed(Principal principal, List<String> tenantIds, String method, String route, long calls,
                             int addresses, Instant first, Instant last) {
        public Suppressed {
            tenantIds = List.copyOf(tenantIds);
        }
    }

    private final int perMinute;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new HashMap<>();
    private final Map<String, Tally> suppressed = new LinkedHashMap<>();

    public RefusalBudget(int perMinute, Clock clock) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("perMinute must be at least 1: " + perMinute);
        }
        this.perMinute = perMinute;
        this.clock = clock;
    }

    /**
     * Takes one refusal of a call without a valid token from {@code address}'s budget. Empty: within it, record the
     * call as usual. Otherwise the call is over budget, counted for {@link #drain}, and the value is the
     * {@code Retry-After} in seconds.
     */
    public OptionalLong admit(String address, String method, String route) {
        return admit(address == null ? OVERFLOW : address, null, List.of(), method, route);
    }

    /** As {@link #admit(String, String, String)} for a refusal of {@code principal}'s call, from its token's budget. */
    public OptionalLong admit(Principal principal, List<String> tenantIds, String method, String route) {
        return admit("token " + principal.tokenId(), principal, tenantIds, method, route);
    }

    private synchronized OptionalLong admit(String caller, Principal principal, List<String> tenantIds, String method,
                                            String route) {
        Instant now = clock.instant();
        String key = caller;
        Bucket b = buckets.get(key);
        if (b == null) {
            if (buckets.size() >= MAX_ADDRESSES) {
                key = OVERFLOW;
                b = buckets.get(key);
            }
            if (b == null) {
                b = new Bucket(perMinute, now);
                buckets.put(key, b);
            }
        }
        b.refill(now, perMinute);
        if (b.tokens >= 1) {
            b.tokens -= 1;
            return OptionalLong.empty();
        }
        String tally = (principal == null ? "" : principal.tokenId()) + " " + method + " " + route;
        suppressed.computeIfAbsent(tally, k -> new Tally(principal, tenantIds, method, route, now)).add(key, now);
        double secondsToOne = (1 - b.tokens) * 60.0 / perMinute;
        return OptionalLong.of(Math.max(1, (long) Math.ceil(secondsToOne)));
    }

    /** The refusals counted beyond the budget since the last drain, per route; forgets addresses back at full budget. */
    public synchronized List<Suppressed> drain() {
        Instant now = clock.instant();
        List<Suppressed> out = new ArrayList<>();
        for (Tally t : suppressed.values()) {
            out.add(new Suppressed(t.principal, t.tenantIds, t.method, t.route, t.calls, t.addresses.size(), t.first,
                    t.last));
        }
        suppressed.clear();
        buckets.values().forEach(b -> b.refill(now, perMinute));
        buckets.values().removeIf(b -> b.tokens >= perMinute);
        return out;
    }

    /** Addresses tracked now (for tests). */
    synchronized int tracked() {
        return buckets.size();
    }

    private static final class Bucket {
        double tokens;
        Instant refilled;

        Bucket(int perMinute, Instant now) {
            this.tokens = perMinute;
            this.refilled = now;
        }

        void refill(Instant now, int perMinute) {
            long elapsedMillis = Math.max(0, Duration.between(refilled, now).toMillis());
            tokens = Math.min(perMinute, tokens + elapsedMillis * perMinute / 60_000.0);
            refilled = now;
        }
    }

    private static final class Tally {
        final Principal principal;
        final List<String> tenantIds;
        final String method;
        final String route;
        final Instant first;
        final Set<String> addresses = new HashSet<>();
        Instant last;
        long calls;

        Tally(Principal principal, List<String> tenantIds, String method, String route, Instant first) {
            this.principal = principal;
            this.tenantIds = List.copyOf(tenantIds);
            this.method = method;
            this.route = route;
            this.first = first;
        }

        void add(String address, Instant at) {
            calls++;
            last = at;
            if (addresses.size() < MAX_ADDRESSES) {
                addresses.add(address);
            }
        }
    }
}
