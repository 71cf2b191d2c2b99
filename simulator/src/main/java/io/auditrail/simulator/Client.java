package io.auditrail.simulator;

import java.util.List;
import java.util.SortedMap;

/**
 * One Vault client: a tenant's application (AppRole), a platform operator (userpass), or a planted actor. Fixed
 * address and entity; its token changes with each login. Normal clients keep per-window counts so that no
 * detection rule can fire on normal traffic, whatever the seed.
 */
final class Client {
    static final long SECOND = 1_000_000_000L;
    /** Caps for normal traffic, each well under the rule's default threshold (docs/ANOMALIES.md). */
    static final int MAX_READS_PER_MINUTE = 60;      // read_rate_spike needs >= 100
    static final int MAX_LISTS_PER_MINUTE = 20;      // secret_enumeration: 50 in 60 s
    static final int MAX_DENIALS_PER_MINUTE = 4;     // permission_denied_burst: 10 in 60 s
    static final int MAX_LOGIN_FAILURES = 2;         // login_failure_burst: 5 in 300 s

    final int id;
    final String tenant;
    final String name;
    final String entityId;
    final String address;
    final int node;
    final Mount loginMount;
    final String displayName;
    final List<String> policies;
    final SortedMap<String, String> metadata;

    int generation;
    Identity identity;
    long expiresNanos;

    private long readMinute = Long.MIN_VALUE;
    private int readsThisMinute;
    final RecentTimes lists = new RecentTimes(MAX_LISTS_PER_MINUTE, 60 * SECOND);
    final RecentTimes denials = new RecentTimes(MAX_DENIALS_PER_MINUTE, 60 * SECOND);
    final RecentTimes loginFailures = new RecentTimes(MAX_LOGIN_FAILURES, 300 * SECOND);

    Client(int id, String tenant, String name, String entityId, String address, int node, Mount loginMount,
           String displayName, List<String> policies, SortedMap<String, String> metadata) {
        this.id = id;
        this.tenant = tenant;
        this.name = name;
        this.entityId = entityId;
        this.address = address;
        this.node = node;
        this.loginMount = loginMount;
        this.displayName = displayName;
        this.policies = List.copyOf(policies);
        this.metadata = metadata;
    }

    String loginPath() {
        return loginMount == Mount.USERPASS ? "auth/userpass/login/" + name : "auth/approle/login";
    }

    boolean needsLogin(long now) {
        return identity == null || now >= expiresNanos;
    }

    /** Whether another read in the minute of {@code now} stays under the cap (and counts it if so). */
    boolean mayRead(long now) {
        long minute = Math.floorDiv(now, 60 * SECOND);
        if (minute != readMinute) {
            readMinute = minute;
            readsThisMinute = 0;
        }
        if (readsThisMinute >= MAX_READS_PER_MINUTE) {
            return false;
        }
        readsThisMinute++;
        return true;
    }
}
