package io.auditrail.app.task;

import io.auditrail.app.CommonOptions;
import io.auditrail.app.ExitCode;
import io.auditrail.ingest.FileImporter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code auditrail import}: backfills Vault file-device logs into the pipeline. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Backfill logs of Vault's file audit device into vault.audit.raw, every complete line as ingest "
                + "would have sent it (lines over audit.max.line.bytes to the DLQ; a last line without its newline "
                + "is skipped and counted). Safe to run again and over lines the socket device already delivered: "
                + "the event id comes from the entry, so the index holds each event once. With OpenBao, whose devices "
                + "write different times into their copies of one entry, use --missing-only after an outage.",
                "Settings: kafka.*, topic.*, audit.* (docs/CONFIG.md); see docs/runbooks/audit-pipeline-down.md."})
public final class ImportCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--missing-only", description = "Send only lines whose type and request id the index does not "
            + "hold yet (reads postgres.*): closes a pipeline-outage gap without doubling the entries the socket "
            + "device did deliver. Run it when the pipeline has caught up.")
    boolean missingOnly;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "File device logs, one JSON entry per line.")
    List<Path> files;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        FileImporter.Result r;
        if (missingOnly) {
            MissingOnlyFilter filter = MissingOnlyFilter.load(common.settings(), files);
            r = FileImporter.importFiles(common.settings(), files, filter);
            out.printf("--missing-only: %d entries already indexed in the files' time range; %d lines skipped%n",
                    filter.indexedKeys(), r.skipped());
        } else {
            r = FileImporter.importFiles(common.settings(), files);
        }
        out.printf("imported %d lines from %d files: %d to the raw topic, %d to the DLQ (longer than "
                + "audit.max.line.bytes); %d files ended in an incomplete line, not sent%n", r.lines(), r.files(),
                r.raw(), r.dlq(), r.fragments());
        return ExitCode.OK;
    }
}
