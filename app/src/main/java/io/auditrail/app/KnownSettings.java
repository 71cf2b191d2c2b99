package io.auditrail.app;

import io.auditrail.core.config.CoreConfig;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef;

/** Every setting any stage defines: one environment serves all commands, so all keys are checked together. */
public final class KnownSettings {
    public static final List<ConfigDef> DEFINITIONS = List.of(CoreConfig.DEFINITION);

    private KnownSettings() {
    }
}
