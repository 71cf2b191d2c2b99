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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code auditrail import}: backfills Vault file-device logs into the pipeline. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Backfill logs of Vault's file audit device into vault.audit.raw, every complete line as ingest "
                + "would have sent it (lines over audit.max.line.bytes to the DLQ; a last line without its newline "
                + "is skipped and counted). Safe to run again and over lines the socket device already delivered: "
                + "the event id comes from the entry, so the index holds each event once.",
                "Settings: kafka.*, topic.*, audit.* (docs/CONFIG.md); see docs/runbooks/audit-pipeline-down.md."})
public final class ImportCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "File device logs, one JSON entry per line.")
    List<Path> files;

    @Override
    public Integer call() throws Exception {
        FileImporter.Result r = FileImporter.importFiles(common.settings(), files);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("imported %d lines from %d files: %d to the raw topic, %d to the DLQ (longer than "
                + "audit.max.line.bytes); %d files ended in an incomplete line, not sent%n", r.lines(), r.files(),
                r.raw(), r.dlq(), r.fragments());
        return ExitCode.OK;
    }
}
