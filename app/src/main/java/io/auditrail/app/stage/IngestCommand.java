package io.auditrail.app.stage;

import io.auditrail.app.CommonOptions;
import io.auditrail.ingest.IngestStage;
import io.micrometer.core.instrument.MeterRegistry;
import io.auditrail.core.config.Settings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code auditrail ingest}: receive Vault's socket audit device into {@code vault.audit.raw}. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Receive Vault's socket audit device (TCP, and a unix socket if configured) and put every line, "
                + "byte-exact, on vault.audit.raw through a durable local spool; never blocks Vault on Kafka.",
                "Settings: ingest.* and kafka.* keys (docs/CONFIG.md); health on http.listen.address."})
public final class IngestCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return StageRunner.run("ingest", common.settings(), spec.commandLine().getOut(), IngestCommand::start);
    }

    /** Starts ingest as a {@link RunningStage}; dev mode uses it too. */
    public static RunningStage start(Settings settings, MeterRegistry registry) throws Exception {
        IngestStage stage = IngestStage.start(settings, registry);
        Map<String, String> endpoints = new LinkedHashMap<>();
        stage.listenAddresses().forEach(a -> endpoints.put("Vault socket device", a.toString().replaceFirst("^/", "")));
        return RunningStage.of(stage, endpoints);
    }
}
