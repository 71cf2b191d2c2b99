package io.auditrail.core.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * The raw key/value settings of one process, from (lowest to highest precedence) a properties file,
 * {@code AUDITRAIL_*} environment variables, and command-line options. Environment names map to keys
 * by dropping the prefix, lower-casing and turning {@code _} into {@code .}
 * ({@code AUDITRAIL_KAFKA_BOOTSTRAP_SERVERS} is {@code kafka.bootstrap.servers}).
 */
public final class Settings {
    public static final String ENV_PREFIX = "AUDITRAIL_";
    /** Keys under this prefix go to the Kafka clients with the prefix removed. */
    public static final String KAFKA_PREFIX = "kafka.";

    private final Map<String, String> values;

    private Settings(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    public static Settings of(Map<String, String> values) {
        return new Settings(values);
    }

    public static Settings load(Path configFile, Map<String, String> env, Map<String, String> overrides) {
        Map<String, String> merged = new HashMap<>();
        if (configFile != null) {
            Properties props = new Properties();
            try (Reader r = Files.newBufferedReader(configFile, StandardCharsets.UTF_8)) {
                props.load(r);
            } catch (IOException e) {
                throw new ConfigException("cannot read config file " + configFile + ": " + e.getMessage());
            }
            props.stringPropertyNames().forEach(k -> merged.put(k.trim(), props.getProperty(k).trim()));
        }
        env.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
                merged.put(envToKey(name), value);
            }
        });
        merged.putAll(overrides);
        return new Settings(merged);
    }

    static String envToKey(String envName) {
        return envName.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
    }

    /** The environment variable that sets a key. */
    public static String keyToEnv(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public Map<String, String> asMap() {
        return values;
    }

    public Settings with(Map<String, String> overrides) {
        Map<String, String> merged = new HashMap<>(values);
        merged.putAll(overrides);
        return new Settings(merged);
    }

    /**
     * Only the keys {@code definition} defines: what a stage's config class parses, so that the keys of other stages,
     * which share one file and one environment, are neither refused nor mistaken for its own.
     */
    public Map<String, String> only(ConfigDef definition) {
        Map<String, String> out = new HashMap<>();
        values.forEach((k, v) -> {
            if (definition.names().contains(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** Kafka client settings: every {@code kafka.*} key with the prefix removed. */
    public Map<String, Object> kafkaClientProperties() {
        Map<String, Object> out = new TreeMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(KAFKA_PREFIX)) {
                out.put(k.substring(KAFKA_PREFIX.length()), v);
            }
        });
        return out;
    }

    /**
     * Refuses keys no definition knows (a misspelt key must stop start-up, not be ignored).
     * {@code kafka.*} keys pass through to the clients and are not checked here.
     */
    public void refuseUnknown(Collection<ConfigDef> definitions) {
        var known = new TreeSet<String>();
        definitions.forEach(d -> known.addAll(d.names()));
        var unknown = new TreeSet<String>();
        for (String k : values.keySet()) {
            if (!known.contains(k) && !k.startsWith(KAFKA_PREFIX)) {
                unknown.add(k);
            }
        }
        if (!unknown.isEmpty()) {
            String first = unknown.first();
            throw new ConfigException("unknown setting" + (unknown.size() > 1 ? "s " : " ") + unknown
                    + " (environment variable " + keyToEnv(first) + "); see docs/CONFIG.md for the known keys");
        }
    }
}
