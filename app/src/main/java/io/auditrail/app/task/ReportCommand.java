package io.auditrail.app.task;

import io.auditrail.app.CommonOptions;
import io.auditrail.app.ExitCode;
import io.auditrail.app.TimeArgument;
import io.auditrail.reports.api.ReportsApi;
import io.auditrail.reports.evidence.EvidencePack;
import io.auditrail.reports.query.InvalidParameter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code auditrail report}: compliance reports from the index and the archive. */
@Command(name = "report", mixinStandardHelpOptions = true,
        subcommands = {ReportCommand.Soc2.class, PackKeygenCommand.class},
        description = "Compliance reports from the index and the archive (docs/EVIDENCE.md).")
public final class ReportCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a report is required: soc2 (or keygen for the pack key)");
    }

    /** {@code auditrail report soc2}. */
    @Command(name = "soc2", mixinStandardHelpOptions = true,
            description = {"Build one tenant's SOC2 evidence pack for a period: summary (PDF, HTML), CSV files, JSON "
                    + "and a manifest of SHA-256 hashes signed with the evidence pack key ('auditrail report keygen').",
                    "Settings: postgres.*, s3.*, reports.evidence.signing.key(.file), archive.public.key(.file)."})
    static final class Soc2 implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Option(names = "--tenant", required = true, description = "The tenant the pack is about.")
        String tenant;

        @Option(names = "--from", required = true, converter = TimeArgument.class, paramLabel = "TIME",
                description = "Start of the period (RFC 3339 or a date, UTC).")
        Instant from;

        @Option(names = "--to", required = true, converter = TimeArgument.class, paramLabel = "TIME",
                description = "End of the period, exclusive.")
        Instant to;

        @Option(names = "--format", defaultValue = "zip",
                description = "zip (everything), pdf, html, json or csv (a zip of the CSV files); default ${DEFAULT-VALUE}.")
        String format;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the pack.")
        Path out;

        @Override
        public Integer call() throws Exception {
            EvidencePack.Format f;
            try {
                f = EvidencePack.format(format);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            if (!from.isBefore(to)) {
                throw new ParameterException(spec.commandLine(), "--from must be before --to");
            }
            try (ReportsApi api = ReportsApi.open(common.settings(), new SimpleMeterRegistry())) {
                EvidencePack pack;
                try {
                    pack = api.evidencePacks().build(tenant, from, to);
                } catch (InvalidParameter e) {
                    // a period holding more rows than a pack may (reports.evidence.max.rows): say so, exit 2
                    throw new ParameterException(spec.commandLine(), e.getMessage());
                }
                try (OutputStream o = Files.newOutputStream(out)) {
                    pack.write(f, o);
                }
                spec.commandLine().getOut().printf("wrote %s (%s, %d bytes)%n", out, pack.fileName(f), Files.size(out));
                return ExitCode.OK;
            }
        }
    }
}
