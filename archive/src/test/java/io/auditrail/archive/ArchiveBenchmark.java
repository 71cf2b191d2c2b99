package io.auditrail.archive;

import io.auditrail.embedded.EmbeddedKafka;
import io.auditrail.embedded.EmbeddedPostgres;
import io.auditrail.embedded.EmbeddedS3;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * Archive throughput: a broker and an S3 server in this JVM, N lines on a 3-partition raw topic beforehand, then the
 * time from the stage's start until every line is in a stored object; then the time verify takes over the result.
 * Usage: {@code ArchiveBenchmark LINES [key=value ...]} (archive settings).
 */
public final class ArchiveBenchmark {
    private ArchiveBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int lines = Integer.parseInt(args[0]);
        Map<String, String> extra = new java.util.HashMap<>();
        for (int i = 1; i < args.length; i++) {
            extra.put(args[i].substring(0, args[i].indexOf('=')), args[i].substring(args[i].indexOf('=') + 1));
        }
        extra.putIfAbsent(ArchiveConfig.OBJECT_MAX_BYTES, Long.toString(16L << 20));
        extra.putIfAbsent(ArchiveConfig.OBJECT_MAX_AGE_MS, "1000");
        Path work = Files.createTempDirectory("archive-bench-");
        try (EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafka.Config.of(work.resolve("kafka"))).start();
             EmbeddedS3 s3 = new EmbeddedS3(EmbeddedS3.Config.of(work.resolve("s3"))).start();
             EmbeddedPostgres pg = new EmbeddedPostgres(EmbeddedPostgres.Config.of(work.resolve("pg"))).start();
             ArchiveTestbed bed = new ArchiveTestbed(kafka, s3, pg, work)) {
            for (int sent = 0; sent < lines; sent += 10_000) {
                bed.send(Math.min(10_000, lines - sent));
            }
            long valueBytes = bed.sent.values().stream().flatMap(m -> m.values().stream()).mapToLong(b -> b.length).sum();
            long t0 = System.nanoTime();
            ArchiveStage stage = ArchiveStage.start(bed.config(extra), new SimpleMeterRegistry(), Clock.systemUTC());
            while (stage.metrics().linesArchived() < lines) {
                if (stage.failure().isPresent()) {
                    throw new IllegalStateException(stage.failure().get());
                }
                Thread.sleep(5);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            stage.close();
            long stored = bed.objectHashes(bed.bucket).size();
            long t1 = System.nanoTime();
            VerifyReport report = bed.verify();
            double verifySeconds = (System.nanoTime() - t1) / 1e9;
            System.out.printf("archive: %d lines (%.1f MB, mean %d B) in %.2f s = %.0f lines/s, %.1f MB/s; %d objects%n",
                    lines, valueBytes / 1e6, valueBytes / lines, seconds, lines / seconds, valueBytes / 1e6 / seconds,
                    stored);
            System.out.printf("verify: %s, %d objects, %d lines in %.2f s; at %s%n", report.intact() ? "intact"
                    : report.problems(), report.objects(), report.lines(), verifySeconds, Instant.now());
        }
    }
}
