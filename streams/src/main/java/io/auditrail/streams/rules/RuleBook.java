package io.auditrail.streams.rules;

import io.auditrail.core.anomaly.Severity;
import io.auditrail.streams.state.StateMaps;
import io.auditrail.streams.tenant.TenantProfiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The configured rule set: which rules run, their severities, merge windows and thresholds. Immutable; makes a
 * {@link Detector} per processor task (topology) or per {@code inspect} run.
 */
public final class RuleBook {
    /** Store names of the windowed rules' state and the merger's, fixed so the topology's shape never moves. */
    public static final String MERGE_STORE = "detect-open-anomalies";

    private final RulesConfig config;
    // read per event by the detector: resolved once, not through AbstractConfig's map lookups
    private final Map<RuleName, Boolean> enabled = new EnumMap<>(RuleName.class);
    private final Map<RuleName, Severity> severities = new EnumMap<>(RuleName.class);
    private final Map<RuleName, Duration> mergeWindows = new EnumMap<>(RuleName.class);

    private RuleBook(RulesConfig config) {
        this.config = config;
        for (RuleName r : RuleName.values()) {
            enabled.put(r, config.enabled(r));
            severities.put(r, config.severity(r));
            mergeWindows.put(r, config.mergeWindow(r));
        }
    }

    public static RuleBook defaults() {
        return new RuleBook(RulesConfig.defaults());
    }

    public static RuleBook load(Path rulesFile) {
        return new RuleBook(RulesConfig.load(rulesFile));
    }

    /** Defaults overridden by {@code values} (keys as in the rules file). */
    public static RuleBook of(Map<String, String> values) {
        Map<String, String> merged = new java.util.TreeMap<>();
        RulesConfig.defaults().originalsStrings().forEach(merged::put);
        merged.putAll(values);
        return new RuleBook(new RulesConfig(merged));
    }

    public RulesConfig config() {
        return config;
    }

    public boolean enabled(RuleName rule) {
        return enabled.get(rule);
    }

    public Severity severity(RuleName rule) {
        return severities.get(rule);
    }

    public Duration mergeWindow(RuleName rule) {
        return mergeWindows.get(rule);
    }

    public Set<String> noResponsePaths() {
        return new HashSet<>(config.getList(RulesConfig.NO_RESPONSE_PATHS));
    }

    /** The store that holds a windowed rule's state. */
    public static String storeName(RuleName rule) {
        return "detect-" + rule.wire().replace('_', '-');
    }

    /** Every windowed rule, enabled or not, so the topology has the same stores whatever the rules file says. */
    public List<WindowedRule<?>> windowedRules() {
        return List.of(
                new PermissionDeniedBurst(config.getInt(RulesConfig.DENIED_THRESHOLD),
                        config.seconds(RulesConfig.DENIED_WINDOW_SECONDS)),
                new LoginFailureBurst(config.getInt(RulesConfig.LOGIN_THRESHOLD),
                        config.seconds(RulesConfig.LOGIN_WINDOW_SECONDS)),
                new SecretEnumeration(config.getInt(RulesConfig.LIST_THRESHOLD),
                        config.seconds(RulesConfig.LIST_WINDOW_SECONDS)),
                new ReadRateSpike(config.getDouble(RulesConfig.SPIKE_FACTOR), config.getInt(RulesConfig.SPIKE_MIN_READS),
                        config.getInt(RulesConfig.SPIKE_WARMUP_MINUTES),
                        config.getInt(RulesConfig.SPIKE_HALF_LIFE_MINUTES)),
                new NewSourceAddress(Duration.ofDays(config.getInt(RulesConfig.NEW_SOURCE_LOOKBACK_DAYS))));
    }

    public List<EventRule> eventRules(TenantProfiles profiles) {
        return List.of(new CrossTenantAccess(), new RootTokenUse(config.getString(RulesConfig.ROOT_POLICY)),
                new AuditDeviceChange(), new RawLoggingDetected(), new PolicyChange(), new AuthMethodChange(),
                new SealOrClusterChange(), new OffHoursAccess(profiles),
                new LongLivedToken(config.getLong(RulesConfig.TOKEN_MAX_TTL_SECONDS)), new AuditGap());
    }

    /** A detector running the enabled rules, its state opened from {@code states}. */
    public Detector detector(StateMaps states, TenantProfiles profiles) {
        List<EventRule> stateless = new ArrayList<>();
        for (EventRule r : eventRules(profiles)) {
            if (enabled(r.name())) {
                stateless.add(r);
            }
        }
        List<Detector.Bound<?>> windowed = new ArrayList<>();
        for (WindowedRule<?> r : windowedRules()) {
            windowed.add(Detector.Bound.open(r, states));
        }
        return new Detector(this, stateless, windowed, new AnomalyMerger(states.open(MERGE_STORE, OpenAnomaly.class)));
    }
}
