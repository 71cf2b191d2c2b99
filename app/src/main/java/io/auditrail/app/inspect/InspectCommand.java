package io.auditrail.app.inspect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditrail.app.CommonOptions;
import io.auditrail.app.ExitCode;
import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.anomaly.Anomaly;
import io.auditrail.core.anomaly.AnomalyCodec;
import io.auditrail.core.entry.AuditEntry;
import io.auditrail.core.event.AuditEvent;
import io.auditrail.core.event.EventCodec;
import io.auditrail.core.event.EventEnricher;
import io.auditrail.core.event.PairedEvent;
import io.auditrail.core.parse.AuditEntryParser;
import io.auditrail.core.parse.AuditLineReader;
import io.auditrail.core.parse.MalformedEntryException;
import io.auditrail.core.parse.ParseFailure;
import io.auditrail.core.tenant.TenantDirectory;
import io.auditrail.streams.OfflineDetector;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code auditrail inspect}: audit lines from files or stdin to enriched events, offline, without Kafka. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Read Vault audit lines (file-device output, .gz too, or standard input) and print the "
                + "enriched event of each and the anomalies the rules raise, as NDJSON, without Kafka: the same "
                + "pairing and rules as the streams stage, with event time as the clock.",
                "Each output object has a 'kind': 'event', 'anomaly' (an anomaly id met twice is an update with "
                        + "the final count), or 'dlq' for a line that is not an audit entry (with the failure, "
                        + "reason, file and line number).",
                "Exit code 0 when every line parsed, 3 when some did not, 2 on bad arguments."})
public final class InspectCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "0..*",
            description = "Audit log files; '-' or none reads standard input. Names ending in .gz are decompressed.")
    List<String> files = List.of();

    @Option(names = "--summary",
            description = "Print per-tenant, per-rule and per-failure counts instead of events and anomalies.")
    boolean summary;

    @Option(names = "--rules", paramLabel = "FILE",
            description = "Rules file (properties, docs/ANOMALIES.md); default: the shipped rules.")
    Path rules;

    @Override
    public Integer call() throws IOException {
        CoreConfig config = new CoreConfig(common.settings());
        AuditEntryParser parser = config.parser();
        EventEnricher enricher = config.enricher(TenantDirectory.EMPTY);
        int maxLine = config.getInt(CoreConfig.AUDIT_MAX_LINE_BYTES);
        InspectSummary counts = new InspectSummary();
        OfflineDetector detector = OfflineDetector.of(rules);
        PrintWriter out = spec.commandLine().getOut();
        ObjectMapper json = EventCodec.mapper();
        List<String> inputs = files.isEmpty() ? List.of("-") : files;
        for (String name : inputs) {
            try (InputStream in = open(name)) {
                AuditLineReader reader = new AuditLineReader(in, maxLine + 1);
                for (AuditLineReader.Line line = reader.next(); line != null; line = reader.next()) {
                    if (line.bytes().length == 0) {
                        continue; // blank lines are not entries; Vault never writes them
                    }
                    counts.line();
                    try {
                        if (line.truncated()) {
                            throw new MalformedEntryException(ParseFailure.OVERSIZE, maxLine,
                                    "line of " + line.fullLength() + " bytes exceeds the maximum of " + maxLine);
                        }
                        AuditEntry entry = parser.parse(line.bytes());
                        AuditEvent event = enricher.enrich(entry, line.bytes());
                        emit(detector.step(event), counts, out);
                    } catch (MalformedEntryException e) {
                        counts.failure(e.failure());
                        if (!summary) {
                            ObjectNode node = json.createObjectNode().put("kind", "dlq").put("file", name)
                                    .put("line", line.number()).put("failure", e.failure().name())
                                    .put("reason", e.reason()).put("offset", e.byteOffset());
                            out.write(json.writeValueAsString(node));
                            out.write('\n');
                        }
                    }
                }
            }
        }
        emit(detector.finishStep(), counts, out);
        if (summary) {
            counts.print(out);
        }
        out.flush();
        return counts.failures() == 0 ? ExitCode.OK : ExitCode.FINDINGS;
    }

    private void emit(OfflineDetector.Output output, InspectSummary counts, PrintWriter out) {
        for (PairedEvent e : output.events()) {
            counts.event(e);
            if (!summary) {
                out.write(withKind("event", e.toJson()));
            }
        }
        for (Anomaly a : output.anomalies()) {
            counts.anomaly(a);
            if (!summary) {
                out.write(withKind("anomaly", AnomalyCodec.toBytes(a)));
            }
        }
    }

    /** The object's JSON with {@code "kind"} as its first field, and a newline. */
    private static String withKind(String kind, byte[] objectJson) {
        return "{\"kind\":\"" + kind + "\"," + new String(objectJson, 1, objectJson.length - 1, StandardCharsets.UTF_8)
                + "\n";
    }

    private InputStream open(String name) throws IOException {
        InputStream raw;
        if (name.equals("-")) {
            raw = System.in;
        } else {
            Path p = Path.of(name);
            if (!Files.isReadable(p)) {
                throw new IOException("cannot read " + name);
            }
            raw = Files.newInputStream(p);
        }
        InputStream in = new BufferedInputStream(raw, 1 << 16);
        if (name.endsWith(".gz")) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        return name.equals("-") ? new NonClosing(in) : in;
    }

    /** Standard input stays open after one pass over it. */
    private static final class NonClosing extends java.io.FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // not ours to close
        }
    }
}
