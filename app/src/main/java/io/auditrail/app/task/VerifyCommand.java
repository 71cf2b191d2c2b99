package io.auditrail.app.task;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.auditrail.app.CommonOptions;
import io.auditrail.app.ExitCode;
import io.auditrail.app.TimeArgument;
import io.auditrail.archive.ArchiveVerifier;
import io.auditrail.archive.Problem;
import io.auditrail.archive.VerifyReport;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code auditrail verify}: walks the archive's digest chain for a period and reports every problem. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check the archive for a period: each digest signed by the public key and chained to the "
                + "previous one, each listed object present with its SHA-256, no unlisted object and no offset gap; "
                + "the period holds a digest and the first digest after it links to its last; the chain reaches the "
                + "head recorded in PostgreSQL, which is no older than the digest interval allows. "
                + "Prints one line per problem; exits 0 when intact, 3 when anything is wrong.",
                "Settings: archive.public.key(.file), archive.digest.interval.ms, s3.*, postgres.* (docs/CONFIG.md)."})
public final class VerifyCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--from", required = true, converter = TimeArgument.class, paramLabel = "TIME",
            description = "Start of the period (RFC 3339 or a date, UTC).")
    Instant from;

    @Option(names = "--to", converter = TimeArgument.class, paramLabel = "TIME",
            description = "End of the period, exclusive (default: now).")
    Instant to;

    @Option(names = "--json", description = "Print the report as one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Instant end = to == null ? Instant.now() : to;
        VerifyReport report = ArchiveVerifier.verify(common.settings(), from, end);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().registerModule(new JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).writeValueAsString(report));
        } else {
            for (Problem p : report.problems()) {
                out.println(p);
            }
            out.printf("%s: %d digests, %d objects, %d lines from %s to %s; %d problems%n",
                    report.intact() ? "intact" : "NOT INTACT", report.digests(), report.objects(), report.lines(),
                    report.from(), report.to(), report.problems().size());
        }
        out.flush();
        return report.intact() ? ExitCode.OK : ExitCode.FINDINGS;
    }
}
