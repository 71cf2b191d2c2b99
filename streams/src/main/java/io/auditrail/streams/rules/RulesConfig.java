package io.auditrail.streams.rules;

import io.auditrail.core.anomaly.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The rules file ({@code --rules FILE}, Java properties): per rule {@code rules.<rule>.enabled},
 * {@code rules.<rule>.severity}, {@code rules.<rule>.merge.window.seconds}, and the thresholds below. Unknown keys
 * are refused. The shipped default, {@code default-rules.properties} beside this class, equals these defaults
 * (a test keeps them together) and is documented in docs/ANOMALIES.md.
 */
public final class RulesConfig extends AbstractConfig {
    public static final String PREFIX = "rules.";
    public static final String DEFAULT_RESOURCE = "default-rules.properties";

    public static final String DENIED_THRESHOLD = "rules.permission_denied_burst.threshold";
    public static final String DENIED_WINDOW_SECONDS = "rules.permission_denied_burst.window.seconds";
    public static final String LOGIN_THRESHOLD = "rules.login_failure_burst.threshold";
    public static final String LOGIN_WINDOW_SECONDS = "rules.login_failure_burst.window.seconds";
    public static final String LIST_THRESHOLD = "rules.secret_enumeration.threshold";
    public static final String LIST_WINDOW_SECONDS = "rules.secret_enumeration.window.seconds";
    public static final String SPIKE_FACTOR = "rules.read_rate_spike.factor";
    public static final String SPIKE_MIN_READS = "rules.read_rate_spike.min.reads.per.minute";
    public static final String SPIKE_WARMUP_MINUTES = "rules.read_rate_spike.warmup.minutes";
    public static final String SPIKE_HALF_LIFE_MINUTES = "rules.read_rate_spike.baseline.half.life.minutes";
    public static final String NEW_SOURCE_LOOKBACK_DAYS = "rules.new_source_address.lookback.days";
    public static final String ROOT_POLICY = "rules.root_token_use.policy";
    public static final String TOKEN_MAX_TTL_SECONDS = "rules.long_lived_token.max.ttl.seconds";
    public static final String NO_RESPONSE_PATHS = "rules.audit_gap.no.response.paths";

    public static final ConfigDef DEFINITION = definition();

    public RulesConfig(Map<String, String> values) {
        super(DEFINITION, refuseUnknown(values), false);
    }

    public static RulesConfig defaults() {
        try (InputStream in = RulesConfig.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULT_RESOURCE + " missing from the classpath");
            }
            Properties p = new Properties();
            p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            return new RulesConfig(toMap(p));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + DEFAULT_RESOURCE, e);
        }
    }

    /** Reads a rules file; keys it leaves out keep their defaults. */
    public static RulesConfig load(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new ConfigException("cannot read rules file " + file + ": " + e.getMessage());
        }
        return new RulesConfig(toMap(p));
    }

    public static String enabledKey(RuleName rule) {
        return PREFIX + rule.wire() + ".enabled";
    }

    public static String severityKey(RuleName rule) {
        return PREFIX + rule.wire() + ".severity";
    }

    public static String mergeWindowKey(RuleName rule) {
        return PREFIX + rule.wire() + ".merge.window.seconds";
    }

    public boolean enabled(RuleName rule) {
        return getBoolean(enabledKey(rule));
    }

    public Severity severity(RuleName rule) {
        return Severity.of(getString(severityKey(rule)));
    }

    public Duration mergeWindow(RuleName rule) {
        return Duration.ofSeconds(getLong(mergeWindowKey(rule)));
    }

    public Duration seconds(String key) {
        return Duration.ofSeconds(getLong(key));
    }

    private static ConfigDef definition() {
        ConfigDef d = new ConfigDef();
        ConfigDef.Validator severity = (name, value) -> {
            try {
                Severity.of((String) value);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, "one of critical, high, medium, low");
            }
        };
        for (RuleName r : RuleName.values()) {
            d.define(enabledKey(r), Type.BOOLEAN, true, Importance.HIGH, "Whether " + r.wire() + " runs. " + r.doc());
            d.define(severityKey(r), Type.STRING, r.defaultSeverity().wire(), severity, Importance.MEDIUM,
                    "Severity of " + r.wire() + " anomalies.");
            d.define(mergeWindowKey(r), Type.LONG, 600L, Range.between(1L, 7L * 24 * 3600), Importance.MEDIUM,
                    "Firings of " + r.wire() + " for one actor within this many seconds of the first are one "
                            + "anomaly with a count.");
        }
        return d
                .define(DENIED_THRESHOLD, Type.INT, 10, Range.atLeast(2), Importance.HIGH,
                        "Denied requests by one actor within the window that fire permission_denied_burst.")
                .define(DENIED_WINDOW_SECONDS, Type.LONG, 60L, Range.atLeast(1L), Importance.HIGH,
                        "Sliding window of permission_denied_burst.")
                .define(LOGIN_THRESHOLD, Type.INT, 5, Range.atLeast(2), Importance.HIGH,
                        "Failed logins from one address within the window that fire login_failure_burst.")
                .define(LOGIN_WINDOW_SECONDS, Type.LONG, 300L, Range.atLeast(1L), Importance.HIGH,
                        "Sliding window of login_failure_burst.")
                .define(LIST_THRESHOLD, Type.INT, 50, Range.between(2, 10_000), Importance.HIGH,
                        "LIST requests by one actor within the window that fire secret_enumeration.")
                .define(LIST_WINDOW_SECONDS, Type.LONG, 60L, Range.atLeast(1L), Importance.HIGH,
                        "Sliding window of secret_enumeration.")
                .define(SPIKE_FACTOR, Type.DOUBLE, 10.0, Range.atLeast(1.0), Importance.HIGH,
                        "read_rate_spike fires when a minute's reads exceed this multiple of the actor's baseline.")
                .define(SPIKE_MIN_READS, Type.INT, 100, Range.atLeast(1), Importance.HIGH,
                        "...and are at least this many (so a quiet actor reading a few secrets is no spike).")
                .define(SPIKE_WARMUP_MINUTES, Type.INT, 30, Range.atLeast(0), Importance.MEDIUM,
                        "Minutes an actor must have been observed before its baseline counts.")
                .define(SPIKE_HALF_LIFE_MINUTES, Type.INT, 60, Range.atLeast(1), Importance.MEDIUM,
                        "Half-life of the exponentially weighted baseline of reads per minute.")
                .define(NEW_SOURCE_LOOKBACK_DAYS, Type.INT, 30, Range.between(1, 366), Importance.MEDIUM,
                        "An address unused by the actor for this many days counts as new again.")
                .define(ROOT_POLICY, Type.STRING, "root", new ConfigDef.NonEmptyString(), Importance.LOW,
                        "The policy that marks a root token.")
                .define(TOKEN_MAX_TTL_SECONDS, Type.LONG, 768L * 3600, Range.atLeast(1L), Importance.HIGH,
                        "long_lived_token fires for tokens issued with a longer TTL (default: Vault's 768h max).")
                .define(NO_RESPONSE_PATHS, Type.LIST, List.of("sys/seal", "sys/step-down", "sys/audit/test",
                                "sys/replication/status", "sys/replication/dr/status",
                                "sys/replication/performance/status"), Importance.MEDIUM,
                        "Request paths Vault never writes a response entry for: no audit_gap for them.");
    }

    private static Map<String, String> refuseUnknown(Map<String, String> values) {
        var unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(DEFINITION.names());
        if (!unknown.isEmpty()) {
            throw new ConfigException("unknown rules setting" + (unknown.size() > 1 ? "s " : " ") + unknown
                    + "; see docs/ANOMALIES.md for the known keys");
        }
        return values;
    }

    private static Map<String, String> toMap(Properties p) {
        Map<String, String> m = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k.trim(), p.getProperty(k).trim()));
        return m;
    }
}
