package io.auditrail.reports;

import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.config.PostgresLogin;
import io.auditrail.core.config.Settings;
import io.auditrail.reports.limit.WorkKind;
import io.auditrail.reports.limit.WorkLimits;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The reports module's settings: token lifetime, query defaults, the PostgreSQL pools of the API, and the bounds on
 * what one caller can make it do (docs/SECURITY.md).
 */
public final class ReportsConfig extends AbstractConfig {
    public static final String TOKEN_DEFAULT_TTL_DAYS = "reports.token.default.ttl.days";
    private static final String TOKEN_DEFAULT_TTL_DAYS_DOC = "Lifetime of a new API token when its creator names "
            + "none ('auditrail token create' without --ttl).";
    public static final String TOKEN_MAX_TTL_DAYS = "reports.token.max.ttl.days";
    private static final String TOKEN_MAX_TTL_DAYS_DOC = "Longest lifetime a new API token may be given ('auditrail "
            + "token create --ttl-days' beyond it is refused); at least reports.token.default.ttl.days.";
    public static final String QUERY_DEFAULT_WINDOW_DAYS = "reports.query.default.window.days";
    private static final String QUERY_DEFAULT_WINDOW_DAYS_DOC = "How far back an event search or summary without "
            + "'from' looks (every query bounds event_time, so PostgreSQL prunes partitions).";
    public static final String VERIFY_MAX_DAYS = "reports.verify.max.days";
    private static final String VERIFY_MAX_DAYS_DOC = "Longest period GET /api/v1/archive/verify checks in one call "
            + "(it reads every archived object of the period), and the longest part of an evidence pack's period the "
            + "pack verifies (its last days; the pack says which days it did not).";
    public static final String POSTGRES_USER = "reports.postgres.user";
    private static final String POSTGRES_USER_DOC = "PostgreSQL user of 'auditrail serve' and the token and report "
            + "commands: a member of auditrail_serve, which may read the index, append to the meta-audit and "
            + "dispositions, and manage tokens and console sessions (docs/SECURITY.md). Empty: postgres.user.";
    public static final String POSTGRES_PASSWORD = "reports.postgres.password";
    private static final String POSTGRES_PASSWORD_DOC = "Password of reports.postgres.user (empty for trust or "
            + "certificate authentication); postgres.password is never used for it.";
    public static final String POSTGRES_POOL_SIZE = "reports.postgres.pool.size";
    private static final String POSTGRES_POOL_SIZE_DOC = "Connections the API keeps to PostgreSQL.";
    public static final String POSTGRES_CONNECT_TIMEOUT_MS = "reports.postgres.connect.timeout.ms";
    private static final String POSTGRES_CONNECT_TIMEOUT_MS_DOC = "How long a request waits for a database "
            + "connection before it fails with 500.";
    public static final String POSTGRES_STATEMENT_TIMEOUT_MS = "reports.postgres.statement.timeout.ms";
    private static final String POSTGRES_STATEMENT_TIMEOUT_MS_DOC = "A query running longer than this is cancelled "
            + "by PostgreSQL (the request fails with 500); 0 lets it run.";

    public static final String POSTGRES_AUDIT_POOL_SIZE = "reports.postgres.audit.pool.size";
    private static final String POSTGRES_AUDIT_POOL_SIZE_DOC = "Connections kept apart for authenticating tokens and "
            + "writing meta-audit rows, so calls are still authenticated and recorded (or refused) while searches and "
            + "packs hold every connection of the main pool.";

    public static final String LIMIT_PACK_PER_TOKEN = "reports.limit.pack.per.token";
    public static final String LIMIT_PACK_TOTAL = "reports.limit.pack.total";
    public static final String LIMIT_SUMMARY_PER_TOKEN = "reports.limit.summary.per.token";
    public static final String LIMIT_SUMMARY_TOTAL = "reports.limit.summary.total";
    public static final String LIMIT_SEARCH_PER_TOKEN = "reports.limit.search.per.token";
    public static final String LIMIT_SEARCH_TOTAL = "reports.limit.search.total";
    private static final String PER_TOKEN_DOC = "one token may run at once; one more is answered 429 with Retry-After.";
    private static final String TOTAL_DOC = "the server runs at once, all tokens together; one more is answered 429 with "
            + "Retry-After.";
    public static final String LIMIT_UNAUTHENTICATED_PER_MINUTE = "reports.limit.unauthenticated.per.minute";
    private static final String LIMIT_UNAUTHENTICATED_PER_MINUTE_DOC = "Refusals of calls without a valid token "
            + "(API and console) one client address may cause per minute, each recorded in the meta-audit; beyond "
            + "it they are answered 429 and recorded as one summary row per route and minute.";

    public static final String LIMIT_REFUSED_PER_MINUTE = "reports.limit.refused.per.minute";
    private static final String LIMIT_REFUSED_PER_MINUTE_DOC = "Calls of one token refused with 429 (too many at "
            + "once) that are recorded one by one per minute; beyond, they are answered 429 all the same and recorded "
            + "as one summary row per route and minute, so a token retrying in a loop costs the database nothing "
            + "per call.";

    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(TOKEN_DEFAULT_TTL_DAYS, Type.INT, 90, Range.between(1, 3650), Importance.MEDIUM,
                    TOKEN_DEFAULT_TTL_DAYS_DOC)
            .define(TOKEN_MAX_TTL_DAYS, Type.INT, 365, Range.between(1, 3650), Importance.MEDIUM,
                    TOKEN_MAX_TTL_DAYS_DOC)
            .define(QUERY_DEFAULT_WINDOW_DAYS, Type.INT, 90, Range.between(1, 36_500), Importance.LOW,
                    QUERY_DEFAULT_WINDOW_DAYS_DOC)
            .define(VERIFY_MAX_DAYS, Type.INT, 92, Range.between(1, 3660), Importance.LOW, VERIFY_MAX_DAYS_DOC)
            .define(POSTGRES_USER, Type.STRING, "", Importance.HIGH, POSTGRES_USER_DOC)
            .define(POSTGRES_PASSWORD, Type.PASSWORD, "", Importance.HIGH, POSTGRES_PASSWORD_DOC)
            .define(POSTGRES_POOL_SIZE, Type.INT, 8, Range.between(1, 64), Importance.LOW, POSTGRES_POOL_SIZE_DOC)
            .define(POSTGRES_CONNECT_TIMEOUT_MS, Type.LONG, 5_000L, Range.atLeast(250), Importance.LOW,
                    POSTGRES_CONNECT_TIMEOUT_MS_DOC)
            .define(POSTGRES_STATEMENT_TIMEOUT_MS, Type.LONG, 30_000L, Range.atLeast(0), Importance.LOW,
                    POSTGRES_STATEMENT_TIMEOUT_MS_DOC)
            .define(POSTGRES_AUDIT_POOL_SIZE, Type.INT, 2, Range.between(1, 16), Importance.LOW,
                    POSTGRES_AUDIT_POOL_SIZE_DOC)
            .define(LIMIT_PACK_PER_TOKEN, Type.INT, 1, Range.between(1, 64), Importance.MEDIUM,
                    "Evidence packs and archive verifications (API and console) " + PER_TOKEN_DOC)
            .define(LIMIT_PACK_TOTAL, Type.INT, 2, Range.between(1, 63), Importance.MEDIUM,
                    "Evidence packs and archive verifications (API and console) " + TOTAL_DOC
                    + " Each holds a connection while it reads: below reports.postgres.pool.size.")
            .define(LIMIT_SUMMARY_PER_TOKEN, Type.INT, 2, Range.between(1, 256), Importance.LOW,
                    "Tenant summaries " + PER_TOKEN_DOC)
            .define(LIMIT_SUMMARY_TOTAL, Type.INT, 4, Range.between(1, 1024), Importance.LOW,
                    "Tenant summaries " + TOTAL_DOC)
            .define(LIMIT_SEARCH_PER_TOKEN, Type.INT, 4, Range.between(1, 256), Importance.LOW,
                    "Event searches and lookups, raw lines, anomaly lists and dispositions (API and console) "
                    + PER_TOKEN_DOC)
            .define(LIMIT_SEARCH_TOTAL, Type.INT, 16, Range.between(1, 1024), Importance.LOW,
                    "Event searches and lookups, raw lines, anomaly lists and dispositions (API and console) "
                    + TOTAL_DOC)
            .define(LIMIT_UNAUTHENTICATED_PER_MINUTE, Type.INT, 30, Range.between(1, 100_000), Importance.LOW,
                    LIMIT_UNAUTHENTICATED_PER_MINUTE_DOC)
            .define(LIMIT_REFUSED_PER_MINUTE, Type.INT, 60, Range.between(1, 100_000), Importance.LOW,
                    LIMIT_REFUSED_PER_MINUTE_DOC);

    private final CoreConfig core;

    public ReportsConfig(Settings settings) {
        super(DEFINITION, settings.only(DEFINITION), false);
        this.core = new CoreConfig(settings);
        if (getInt(TOKEN_DEFAULT_TTL_DAYS) > getInt(TOKEN_MAX_TTL_DAYS)) {
            throw new ConfigException(TOKEN_DEFAULT_TTL_DAYS, getInt(TOKEN_DEFAULT_TTL_DAYS),
                    "must not exceed " + TOKEN_MAX_TTL_DAYS + " (" + getInt(TOKEN_MAX_TTL_DAYS) + ")");
        }
        if (getInt(LIMIT_PACK_TOTAL) >= getInt(POSTGRES_POOL_SIZE)) {
            throw new ConfigException(LIMIT_PACK_TOTAL, getInt(LIMIT_PACK_TOTAL), "must be below "
                    + POSTGRES_POOL_SIZE + " (" + getInt(POSTGRES_POOL_SIZE) + "): each pack holds a connection for "
                    + "its whole build, and searches need one too");
        }
        for (WorkKind kind : WorkKind.values()) {
            if (getInt(perTokenKey(kind)) > getInt(totalKey(kind))) {
                throw new ConfigException(perTokenKey(kind), getInt(perTokenKey(kind)), "must not exceed "
                        + totalKey(kind) + " (" + getInt(totalKey(kind)) + ")");
            }
        }
    }

    private static String perTokenKey(WorkKind kind) {
        return switch (kind) {
            case PACK -> LIMIT_PACK_PER_TOKEN;
            case SUMMARY -> LIMIT_SUMMARY_PER_TOKEN;
            case SEARCH -> LIMIT_SEARCH_PER_TOKEN;
        };
    }

    private static String totalKey(WorkKind kind) {
        return switch (kind) {
            case PACK -> LIMIT_PACK_TOTAL;
            case SUMMARY -> LIMIT_SUMMARY_TOTAL;
            case SEARCH -> LIMIT_SEARCH_TOTAL;
        };
    }

    /** The concurrency bounds of every kind of work, per token and in all. */
    public Map<WorkKind, WorkLimits.Bound> workBounds() {
        Map<WorkKind, WorkLimits.Bound> out = new EnumMap<>(WorkKind.class);
        for (WorkKind kind : WorkKind.values()) {
            out.put(kind, new WorkLimits.Bound(getInt(perTokenKey(kind)), getInt(totalKey(kind))));
        }
        return out;
    }

    public int unauthenticatedPerMinute() {
        return getInt(LIMIT_UNAUTHENTICATED_PER_MINUTE);
    }

    public int refusedPerMinute() {
        return getInt(LIMIT_REFUSED_PER_MINUTE);
    }

    public int auditPoolSize() {
        return getInt(POSTGRES_AUDIT_POOL_SIZE);
    }

    public Duration tokenDefaultTtl() {
        return Duration.ofDays(getInt(TOKEN_DEFAULT_TTL_DAYS));
    }

    public Duration tokenMaxTtl() {
        return Duration.ofDays(getInt(TOKEN_MAX_TTL_DAYS));
    }

    public Duration queryDefaultWindow() {
        return Duration.ofDays(getInt(QUERY_DEFAULT_WINDOW_DAYS));
    }

    public Duration verifyMaxPeriod() {
        return Duration.ofDays(getInt(VERIFY_MAX_DAYS));
    }

    public int poolSize() {
        return getInt(POSTGRES_POOL_SIZE);
    }

    public Duration connectTimeout() {
        return Duration.ofMillis(getLong(POSTGRES_CONNECT_TIMEOUT_MS));
    }

    public Duration statementTimeout() {
        return Duration.ofMillis(getLong(POSTGRES_STATEMENT_TIMEOUT_MS));
    }

    public String postgresUrl() {
        return core.getString(CoreConfig.POSTGRES_URL);
    }

    /** reports.postgres.user, else postgres.user. */
    public String postgresUser() {
        return login().user();
    }

    public String postgresPassword() {
        return login().password();
    }

    /** Serve's own role: its queries, tokens, meta-audit, and its reads of the archive's chain head. */
    public PostgresLogin login() {
        return PostgresLogin.of(core, getString(POSTGRES_USER), getPassword(POSTGRES_PASSWORD));
    }
}
