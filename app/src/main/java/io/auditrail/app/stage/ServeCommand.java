package io.auditrail.app.stage;

import io.auditrail.app.CommonOptions;
import io.auditrail.core.config.Settings;
import io.auditrail.reports.ServeStage;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code auditrail serve}: the tenant-scoped HTTP API, the auditor console and SOC2 evidence packs. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the HTTP API (/api/v1, bearer tokens from 'auditrail token create') and the auditor "
                + "console (/) on http.listen.address, over the PostgreSQL index and the S3 archive. Every call is "
                + "recorded in the meta-audit table.",
                "Settings: reports.* (the pack key: reports.evidence.signing.key(.file)), postgres.*, s3.*, "
                        + "archive.public.key(.file) (never the archive's private key; docs/CONFIG.md); API in "
                        + "docs/API.md."})
public final class ServeCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return StageRunner.run("serve", common.settings(), spec.commandLine().getOut(), ServeCommand::start);
    }

    /** Starts the API (and console) as a {@link RunningStage} whose routes the ops server mounts; dev mode uses it. */
    public static RunningStage start(Settings settings, MeterRegistry registry) {
        ServeStage stage = ServeStage.start(settings, registry);
        return RunningStage.of(stage, Map.of(), stage::routes);
    }
}
