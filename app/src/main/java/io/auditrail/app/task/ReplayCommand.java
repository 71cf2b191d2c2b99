package io.auditrail.app.task;

import io.auditrail.app.CommonOptions;
import io.auditrail.app.ExitCode;
import io.auditrail.app.TimeArgument;
import io.auditrail.archive.ArchiveReplayer;
import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.config.Settings;
import io.auditrail.core.topic.TopicBootstrap;
import io.auditrail.core.topic.Topics;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code auditrail replay}: re-publishes archived lines so the pipeline rebuilds the index from the archive. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Re-publish the archived lines of a period, byte-exact, to vault.audit.raw (or --topic), each "
                + "marked with its original partition/offset. Streams, index and alerts then rebuild the index "
                + "without a second row (event ids are deterministic) and without alerting again (marked records "
                + "are not alerted on). Exits 3 when a listed object is missing from the bucket.",
                "Settings: s3.*, kafka.* (docs/CONFIG.md); see docs/ARCHIVE.md."})
public final class ReplayCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--from", required = true, converter = TimeArgument.class, paramLabel = "TIME",
            description = "Replay objects whose first line is at or after this time (RFC 3339 or a date, UTC).")
    Instant from;

    @Option(names = "--to", converter = TimeArgument.class, paramLabel = "TIME",
            description = "... and before this time (default: now).")
    Instant to;

    @Option(names = "--topic", paramLabel = "TOPIC",
            description = "Target topic (default: the raw topic, so the whole pipeline rebuilds from it).")
    String topic;

    @Override
    public Integer call() throws Exception {
        Settings settings = common.settings();
        ensureTarget(settings);
        ArchiveReplayer.Result r = ArchiveReplayer.replay(settings, from, to == null ? Instant.now() : to, topic);
        PrintWriter out = spec.commandLine().getOut();
        r.missing().forEach(k -> out.println("MISSING " + k));
        out.printf("replayed %d lines from %d objects; %d objects missing%n", r.lines(), r.objects(), r.missing().size());
        return r.missing().isEmpty() ? ExitCode.OK : ExitCode.FINDINGS;
    }

    /**
     * Creates the target topic when missing, shaped like the raw topic (a producer would otherwise wait a minute per
     * record for a topic the broker will not auto-create, then fail).
     */
    private void ensureTarget(Settings settings) throws Exception {
        CoreConfig core = new CoreConfig(settings);
        Topics topics = core.topics();
        int maxRecordBytes = core.maxRecordBytes();
        TopicBootstrap.Spec raw = TopicBootstrap.pipeline(topics, maxRecordBytes).get(0);
        String target = topic == null ? topics.raw() : topic;
        Map<String, Object> admin = new HashMap<>(settings.kafkaClientProperties());
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, core.getString(CoreConfig.KAFKA_BOOTSTRAP_SERVERS));
        new TopicBootstrap(admin).ensure(List.of(new TopicBootstrap.Spec(target, raw.partitions(),
                raw.replicationFactor(), raw.configs())), Duration.ofSeconds(30));
    }
}
