package io.auditrail.reports.console;

import io.auditrail.core.config.Settings;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/** Settings of the auditor console (docs/CONSOLE.md). */
public final class ConsoleConfig extends AbstractConfig {
    public static final String BEHIND_TLS = "reports.console.behind.tls";
    private static final String BEHIND_TLS_DOC = "The console is reached over HTTPS (directly or through a TLS "
            + "proxy): its session cookie is then marked Secure and named with the __Host- prefix, so a browser never "
            + "sends it over plain HTTP. Leave false only for local use over http://localhost.";
    public static final String PACK_DEFAULT_DAYS = "reports.console.pack.default.days";
    private static final String PACK_DEFAULT_DAYS_DOC = "The period the evidence-pack page proposes: this many days "
            + "ending at the next UTC midnight.";

    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(BEHIND_TLS, Type.BOOLEAN, false, Importance.HIGH, BEHIND_TLS_DOC)
            .define(PACK_DEFAULT_DAYS, Type.INT, 90, Range.between(1, 366), Importance.LOW, PACK_DEFAULT_DAYS_DOC);

    public ConsoleConfig(Settings settings) {
        super(DEFINITION, onlyDefined(settings.asMap()), false);
    }

    private static Map<String, String> onlyDefined(Map<String, String> all) {
        return all.entrySet().stream().filter(e -> DEFINITION.names().contains(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    public boolean behindTls() {
        return getBoolean(BEHIND_TLS);
    }

    public int packDefaultDays() {
        return getInt(PACK_DEFAULT_DAYS);
    }
}
