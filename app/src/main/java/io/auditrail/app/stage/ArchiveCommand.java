package io.auditrail.app.stage;

import io.auditrail.app.CommonOptions;
import io.auditrail.app.task.KeygenCommand;
import io.auditrail.archive.ArchiveConfig;
import io.auditrail.archive.ArchiveStage;
import io.auditrail.core.config.Settings;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code auditrail archive}: every raw line into S3 with signed, hash-chained digests. */
@Command(name = "archive", mixinStandardHelpOptions = true, subcommands = KeygenCommand.class,
        description = {"Store every line of vault.audit.raw in S3, byte-exact, as gzip NDJSON objects cut by size or "
                + "age; write a digest (SHA-256 of each object, chained to the previous digest, Ed25519-signed) "
                + "every archive.digest.interval.ms and at shutdown, and record each as the chain head in PostgreSQL. "
                + "Needs the signing key: 'auditrail archive keygen' makes one.",
                "Settings: archive.*, s3.*, postgres.* (the chain head) and kafka.* keys (docs/CONFIG.md); layout in "
                        + "docs/ARCHIVE.md."})
public final class ArchiveCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Settings settings = common.settings();
        new ArchiveConfig(settings).signingKey(); // a missing key is a configuration error, exit 2, before anything runs
        return StageRunner.run("archive", settings, spec.commandLine().getOut(), ArchiveCommand::start);
    }

    /** Starts the archiver as a {@link RunningStage}; dev mode uses it too. */
    public static RunningStage start(Settings settings, MeterRegistry registry) {
        return RunningStage.of(ArchiveStage.start(settings, registry), Map.of());
    }
}
