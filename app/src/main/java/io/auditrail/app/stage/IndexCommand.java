package io.auditrail.app.stage;

import io.auditrail.app.CommonOptions;
import io.auditrail.index.IndexStage;
import io.micrometer.core.instrument.MeterRegistry;
import io.auditrail.core.config.Settings;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code auditrail index}: events and anomalies into the PostgreSQL index, with partitions and retention. */
@Command(name = "index", mixinStandardHelpOptions = true,
        description = {"Write vault.audit.events and vault.audit.anomalies into PostgreSQL in idempotent batches "
                + "(Kafka offsets committed after the database commit); create day partitions ahead and drop them "
                + "after index.retention.days on a schedule. Migrates the schema first unless "
                + "index.migrate.on.start=false.",
                "Settings: index.*, postgres.* and kafka.* keys (docs/CONFIG.md); schema in docs/SCHEMA.md."})
public final class IndexCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return StageRunner.run("index", common.settings(), spec.commandLine().getOut(), IndexCommand::start);
    }

    /** Starts the index writer as a {@link RunningStage}; dev mode uses it too. */
    public static RunningStage start(Settings settings, MeterRegistry registry) {
        return RunningStage.of(IndexStage.start(settings, registry), Map.of());
    }
}
