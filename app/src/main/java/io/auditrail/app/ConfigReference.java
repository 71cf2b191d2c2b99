package io.auditrail.app;

import io.auditrail.core.config.Settings;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef;

/** Renders docs/CONFIG.md from the definitions themselves, so the reference cannot drift from the code. */
public final class ConfigReference {
    private ConfigReference() {
    }

    public static String markdown(List<ConfigDef> definitions) {
        StringBuilder md = new StringBuilder();
        md.append("# Configuration reference\n\n")
                .append("Generated from the code's own definitions by `ConfigReferenceTest` ")
                .append("(regenerate with `mvn -pl app test -Dtest=ConfigReferenceTest -Dauditrail.docs.write=true`).\n\n")
                .append("Every key can be set in a properties file (`--config FILE`), as an environment variable ")
                .append("(`AUDITRAIL_` + the key upper-cased with `.` as `_`), or with `--set key=value`; ")
                .append("later ones win. An unknown key stops the command. Any other `kafka.*` key is passed to ")
                .append("the Kafka clients with the prefix removed.\n\n")
                .append("| key | environment variable | type | default | valid values | description |\n")
                .append("|---|---|---|---|---|---|\n");
        definitions.stream().flatMap(d -> d.configKeys().values().stream())
                .sorted(Comparator.comparing(k -> k.name))
                .forEach(k -> md.append("| `").append(k.name).append("` | `").append(Settings.keyToEnv(k.name))
                        .append("` | ").append(k.type.name().toLowerCase(java.util.Locale.ROOT)).append(" | ")
                        .append(k.hasDefault() ? defaultOf(k) : "required")
                        .append(" | ").append(k.validator == null ? "" : k.validator.toString().replace("|", "\\|"))
                        .append(" | ").append(k.documentation.replace("|", "\\|")).append(" |\n"));
        return md.toString();
    }

    private static String defaultOf(ConfigDef.ConfigKey k) {
        String v = ConfigDef.convertToString(k.defaultValue, k.type);
        return v == null || v.isEmpty() ? "(empty)" : "`" + v.replace("|", "\\|") + "`";
    }
}
