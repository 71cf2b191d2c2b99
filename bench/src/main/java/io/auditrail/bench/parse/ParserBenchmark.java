package io.auditrail.bench.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditrail.core.entry.AuditEntry;
import io.auditrail.core.event.AuditEvent;
import io.auditrail.core.event.EventCodec;
import io.auditrail.core.event.EventEnricher;
import io.auditrail.core.parse.AuditEntryParser;
import io.auditrail.core.parse.MalformedEntryException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Entries per second and bytes allocated per entry for the parser on the real sample lines
 * (../shared/vault-audit-samples, or -Dauditrail.samples.dir), each operation one line, round robin.
 * {@code jacksonTree} is the anchor measured beside it: Jackson building a tree of the same line.
 * Run: {@code java -jar bench/target/benchmarks.jar ParserBenchmark -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class ParserBenchmark {
    private final AuditEntryParser parser = new AuditEntryParser();
    private final EventEnricher enricher = EventEnricher.defaults();
    private final ObjectMapper jackson = new ObjectMapper();
    private byte[][] lines;
    private int next;

    @Setup
    public void load() throws IOException {
        List<byte[]> found = new ArrayList<>();
        Path corpus = corpus();
        for (String name : List.of("test-audit.log", "test-faked-all-fields.log", "socket-audit-sample.ndjson")) {
            for (String line : Files.readAllLines(corpus.resolve("elastic-integrations").resolve(name))) {
                if (!line.isBlank()) {
                    found.add(line.getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        lines = found.toArray(new byte[0][]);
    }

    private static Path corpus() {
        String configured = System.getProperty("auditrail.samples.dir");
        if (configured != null) {
            return Paths.get(configured);
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolveSibling("shared").resolve("vault-audit-samples");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("sample corpus not found: run from the checkout or set -Dauditrail.samples.dir");
    }

    private byte[] line() {
        byte[] l = lines[next];
        next = next + 1 == lines.length ? 0 : next + 1;
        return l;
    }

    @Benchmark
    public AuditEntry parse() throws MalformedEntryException {
        return parser.parse(line());
    }

    @Benchmark
    public AuditEvent parseAndEnrich() throws MalformedEntryException {
        byte[] l = line();
        return enricher.enrich(parser.parse(l), l);
    }

    @Benchmark
    public byte[] parseEnrichAndEncode() throws MalformedEntryException {
        byte[] l = line();
        return EventCodec.toBytes(enricher.enrich(parser.parse(l), l));
    }

    @Benchmark
    public JsonNode jacksonTree() throws IOException {
        return jackson.readTree(line());
    }
}
