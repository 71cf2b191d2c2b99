package io.auditrail.bench.multiproc;

import io.auditrail.bench.e2e.LagWatch;
import io.auditrail.bench.e2e.PipelineCounts;
import io.auditrail.bench.e2e.WebhookReceiver;
import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.config.Settings;
import io.auditrail.core.topic.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every multi-process benchmark mode shares: the deployment, the webhook the alerts stage delivers to, the
 * connections the counts are read through, and the lag of each stage.
 */
final class Bench implements AutoCloseable {
    /** Ingest's lines by outcome, as its /metrics writes them (the stage kit's records family). */
    private static final String INGEST_RECEIVED = "auditrail_ingest_records_total{outcome=\"received\"";
    private static final String INGEST_SENT = "auditrail_ingest_records_total{outcome=\"sent\"";
    private static final String INGEST_DLQ = "auditrail_ingest_records_total{outcome=\"dlq\"";

    final Deployment deployment;
    final WebhookReceiver hook;
    final Settings settings;
    final Topics topics;
    final String bootstrap;
    final Connection db;
    final PipelineCounts counts;

    private Bench(Deployment deployment, WebhookReceiver hook) throws Exception {
        this.deployment = deployment;
        this.hook = hook;
        this.settings = deployment.clientSettings();
        this.topics = new CoreConfig(settings).topics();
        Map<String, String> m = settings.asMap();
        this.bootstrap = m.get(CoreConfig.KAFKA_BOOTSTRAP_SERVERS);
        this.db = DriverManager.getConnection(m.get(CoreConfig.POSTGRES_URL), m.get(CoreConfig.POSTGRES_USER),
                m.get(CoreConfig.POSTGRES_PASSWORD));
        this.counts = new PipelineCounts(bootstrap, db, topics.raw(), topics.dlq());
    }

    /**
     * Starts the deployment with the benchmark's settings for every stage (as bench/e2e's: archive objects closed
     * every second and digests every 2 s, a 2 s pairing timeout so unanswered requests close within the run, the
     * simulator's packed event time allowed for, one webhook target) plus {@code extra}.
     */
    static Bench start(Path dir, Path appJar, List<String> stages, int streamsInstances,
                       Map<String, String> extra) throws Exception {
        WebhookReceiver hook = WebhookReceiver.start();
        try {
            Files.createDirectories(dir);
            Path targets = dir.resolve("alert-targets.json");
            Files.writeString(targets, "{\"targets\": [{\"name\": \"bench-webhook\", \"type\": \"webhook\", \"url\": \""
                    + hook.url() + "\"}], \"routes\": [{\"targets\": [\"bench-webhook\"]}]}");
            Map<String, String> set = new LinkedHashMap<>();
            set.put("archive.object.max.age.ms", "1000");
            set.put("archive.digest.interval.ms", "2000");
            set.put("archive.retry.backoff.max.ms", "2000");
            set.put("streams.pairing.timeout.ms", "2000");
            set.put("streams.detect.lateness.ms", "1800000");
            set.put("alerts.targets.file", targets.toString());
            set.putAll(extra);
            Deployment d = Deployment.start(new Deployment.Options(dir, appJar, stages, streamsInstances, set));
            try {
                return new Bench(d, hook);
            } catch (Exception e) {
                d.close();
                throw e;
            }
        } catch (Exception e) {
            hook.close();
            throw e;
        }
    }

    /**
     * Lag of each stage: ingest's spool (lines read but not yet acknowledged, from its /metrics every 2 s), the
     * consumer groups' backlogs.
     */
    Map<String, LagWatch.Source> lags() {
        Map<String, LagWatch.Source> m = new LinkedHashMap<>();
        LaunchedProcess ingest = deployment.process("ingest");
        long[] last = {0, 0}; // when ingest's /metrics was last read, and what it said
        m.put("ingest", () -> {
            // once every 2 s, not at the watch's 250 ms: a scrape costs the stage CPU
            if (System.nanoTime() - last[0] < 2_000_000_000L) {
                return last[1];
            }
            // Prometheus writes tags in name order, so outcome comes first and a prefix selects it
            Map<String, Double> v = ingest.metrics(List.of(INGEST_RECEIVED, INGEST_SENT, INGEST_DLQ));
            double received = v.getOrDefault(INGEST_RECEIVED, -1.0);
            double sent = v.getOrDefault(INGEST_SENT, -1.0);
            double dlq = Math.max(0, v.getOrDefault(INGEST_DLQ, 0.0));
            if (received < 0 || sent < 0) {
                throw new IllegalStateException("ingest metrics unreadable");
            }
            last[0] = System.nanoTime();
            last[1] = (long) (received - sent - dlq);
            return last[1];
        });
        m.put("streams", () -> counts.lag("auditrail-streams", topics.raw()));
        m.put("index", () -> counts.lag("auditrail-index", topics.events()));
        m.put("archive", () -> counts.lag("auditrail-archive", topics.raw()));
        m.put("alerts", () -> counts.lag("auditrail-alerts", topics.anomalies()));
        return m;
    }

    static void out(String format, Object... args) {
        System.out.println(String.format(format, args));
        System.out.flush();
    }

    @Override
    public void close() throws SQLException {
        try {
            counts.close();
            db.close();
        } finally {
            try {
                deployment.close();
            } finally {
                hook.close();
            }
        }
    }
}
