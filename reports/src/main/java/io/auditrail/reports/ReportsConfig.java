package io.auditrail.reports;

import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.config.Settings;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/** The reports module's settings: token lifetime, query defaults and the PostgreSQL pool of the API. */
public final class ReportsConfig extends AbstractConfig {
    public static final String TOKEN_DEFAULT_TTL_DAYS = "reports.token.default.ttl.days";
    private static final String TOKEN_DEFAULT_TTL_DAYS_DOC = "Lifetime of a new API token when its creator names "
            + "none ('auditrail token create' without --ttl).";
    public static final String QUERY_DEFAULT_WINDOW_DAYS = "reports.query.default.window.days";
    private static final String QUERY_DEFAULT_WINDOW_DAYS_DOC = "How far back an event search or summary without "
            + "'from' looks (every query bounds event_time, so PostgreSQL prunes partitions).";
    public static final String VERIFY_MAX_DAYS = "reports.verify.max.days";
    private static final String VERIFY_MAX_DAYS_DOC = "Longest period GET /api/v1/archive/verify checks in one call "
            + "(it reads every archived object of the period).";
    public static final String POSTGRES_POOL_SIZE = "reports.postgres.pool.size";
    private static final String POSTGRES_POOL_SIZE_DOC = "Connections the API keeps to PostgreSQL.";
    public static final String POSTGRES_CONNECT_TIMEOUT_MS = "reports.postgres.connect.timeout.ms";
    private static final String POSTGRES_CONNECT_TIMEOUT_MS_DOC = "How long a request waits for a database "
            + "connection before it fails with 500.";
    public static final String POSTGRES_STATEMENT_TIMEOUT_MS = "reports.postgres.statement.timeout.ms";
    private static final String POSTGRES_STATEMENT_TIMEOUT_MS_DOC = "A query running longer than this is cancelled "
            + "by PostgreSQL (the request fails with 500); 0 lets it run.";

    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(TOKEN_DEFAULT_TTL_DAYS, Type.INT, 90, Range.between(1, 3650), Importance.MEDIUM,
                    TOKEN_DEFAULT_TTL_DAYS_DOC)
            .define(QUERY_DEFAULT_WINDOW_DAYS, Type.INT, 90, Range.between(1, 36_500), Importance.LOW,
                    QUERY_DEFAULT_WINDOW_DAYS_DOC)
            .define(VERIFY_MAX_DAYS, Type.INT, 92, Range.between(1, 3660), Importance.LOW, VERIFY_MAX_DAYS_DOC)
            .define(POSTGRES_POOL_SIZE, Type.INT, 8, Range.between(1, 64), Importance.LOW, POSTGRES_POOL_SIZE_DOC)
            .define(POSTGRES_CONNECT_TIMEOUT_MS, Type.LONG, 5_000L, Range.atLeast(250), Importance.LOW,
                    POSTGRES_CONNECT_TIMEOUT_MS_DOC)
            .define(POSTGRES_STATEMENT_TIMEOUT_MS, Type.LONG, 30_000L, Range.atLeast(0), Importance.LOW,
                    POSTGRES_STATEMENT_TIMEOUT_MS_DOC);

    private final CoreConfig core;

    public ReportsConfig(Settings settings) {
        super(DEFINITION, onlyDefined(settings.asMap()), false);
        this.core = new CoreConfig(settings);
    }

    private static Map<String, String> onlyDefined(Map<String, String> all) {
        return all.entrySet().stream().filter(e -> DEFINITION.names().contains(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    public Duration tokenDefaultTtl() {
        return Duration.ofDays(getInt(TOKEN_DEFAULT_TTL_DAYS));
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

    public String postgresUser() {
        return core.getString(CoreConfig.POSTGRES_USER);
    }

    public String postgresPassword() {
        return core.getPassword(CoreConfig.POSTGRES_PASSWORD).value();
    }
}
