package io.auditrail.app.stage;

import io.auditrail.app.CommonOptions;
import io.auditrail.core.config.Settings;
import io.auditrail.streams.StreamsStage;
import io.auditrail.streams.StreamsStageConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code auditrail streams}: the Kafka Streams topology from raw lines to events, anomalies and dead letters. */
@Command(name = "streams", mixinStandardHelpOptions = true,
        description = {"Run the topology: vault.audit.raw -> parse, enrich by tenant, pair request with response, "
                + "detect -> vault.audit.events, vault.audit.anomalies, vault.audit.dlq (exactly once).",
                "Settings: streams.* and kafka.* keys (docs/CONFIG.md); rules in docs/ANOMALIES.md."})
public final class StreamsCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--rules", paramLabel = "FILE", description = "Rules file (default: the shipped rules).")
    Path rules;

    @Override
    public Integer call() throws Exception {
        Settings settings = common.settings();
        if (rules != null) {
            settings = settings.with(Map.of(StreamsStageConfig.RULES_FILE, rules.toString()));
        }
        return StageRunner.run("streams", settings, spec.commandLine().getOut(), StreamsCommand::start);
    }

    /** Starts the topology as a {@link RunningStage}; dev mode uses it too. */
    public static RunningStage start(Settings settings, MeterRegistry registry) {
        return RunningStage.of(StreamsStage.start(settings, registry), Map.of());
    }
}
