package io.auditrail.app;

import io.auditrail.core.config.Settings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every command shares: where settings come from. */
public final class CommonOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file of settings (keys as in docs/CONFIG.md); AUDITRAIL_* environment variables override it.")
    Path configFile;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE",
            description = "Set one setting, overriding the file and the environment (repeatable).")
    Map<String, String> overrides = new LinkedHashMap<>();

    /** Settings from the file, the process environment and the command line, in rising precedence. */
    public Settings settings() {
        return settings(Map.of());
    }

    /**
     * As {@link #settings()}, with defaults that this command supplies beneath everything else.
     * A key no stage knows stops the command, naming the key: a misspelling must not pass unnoticed.
     */
    public Settings settings(Map<String, String> commandDefaults) {
        Settings loaded = Settings.load(configFile, System.getenv(), overrides);
        loaded.refuseUnknown(KnownSettings.DEFINITIONS);
        Map<String, String> merged = new LinkedHashMap<>(commandDefaults);
        merged.putAll(loaded.asMap());
        return Settings.of(merged);
    }
}
