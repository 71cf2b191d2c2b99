package io.auditrail.bench.multiproc;

import static io.auditrail.bench.multiproc.Bench.out;

import io.auditrail.bench.e2e.SimulatedRun;
import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.topic.TopicBootstrap;
import io.auditrail.simulator.SimulationPlan;
import io.auditrail.simulator.SimulationReport;
import io.auditrail.simulator.Simulator;
import io.auditrail.simulator.TenantProfileRecord;
import io.auditrail.simulator.VaultTrafficGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;

/**
 * Streams scale-out on the same topics: a backlog of {@code lines} raw records drained by one streams instance, then
 * another backlog of the same size drained by two instances of the same application id (each its own JVM and state
 * directory, both started empty so the assignor splits the tasks between them). Prints each instance's partitions,
 * the drain rates, CPU per line, and at the end whether every line became exactly one event.
 */
final class ScaleOut {
    private ScaleOut() {
    }

    static boolean run(Bench b, ProcessSampler sampler, long lines, int tenants, long seed) throws Exception {
        int port = b.deployment.ingestPort();
        // streams creates its topics on start, and it starts only once the backlog is there: create them as it would
        new TopicBootstrap(Map.of("bootstrap.servers", b.bootstrap)).ensure(TopicBootstrap.pipeline(b.topics,
                Math.max(1 << 20, new CoreConfig(b.settings).maxRecordBytes())), Duration.ofSeconds(60));
        SimulationPlan one = SimulationPlan.unpaced("127.0.0.1", port, lines, tenants, seed);
        SimulationPlan two = SimulationPlan.unpaced("127.0.0.1", port, lines, tenants, seed + 1);
        List<TenantProfileRecord> directory = new ArrayList<>();
        for (SimulationPlan p : List.of(one, two)) {
            directory.addAll(new VaultTrafficGenerator(p, Instant.now()).tenantDirectory());
        }
        SimulatedRun.publishDirectory(b.bootstrap, b.topics.tenants(), directory);
        long sent = 0;
        List<String> rows = new ArrayList<>();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", b.bootstrap))) {
            for (int instances = 1; instances <= 2; instances++) {
                sampler.phase("load " + instances);
                SimulationReport report = new Simulator().run(instances == 1 ? one : two, null);
                sent += report.linesSent();
                rows.add(drain(b, sampler, admin, instances, report.linesSent(), sent));
                out("%s", rows.get(rows.size() - 1));
            }
        }
        TopicAudit.Result audit = TopicAudit.events(b.bootstrap, b.topics.events());
        var r = b.counts.read();
        out("");
        out("## streams scale-out: the same backlog drained by one, then two instances (same application id)");
        out("| instances | backlog lines | started and ready (s) | then streams past the backlog (s) | lines/s "
                + "through streams | lines/s to rows | streams CPU µs/line (start-up included) | streams cores | partitions of "
                + "vault.audit.raw per member |");
        out("|---|---|---|---|---|---|---|---|---|");
        rows.forEach(Bench::out);
        out("lines sent %,d; raw %,d; rows %,d + DLQ %,d; events topic %,d records, %,d distinct ids", sent, r.raw(),
                r.rows(), r.dlq(), audit.records(), audit.distinct());
        boolean pass = r.raw() == sent && r.events() == sent && audit.records() == audit.distinct()
                && audit.distinct() == r.rows();
        out("%s: no line lost, none processed twice", pass ? "PASS" : "FAIL");
        return pass;
    }

    /** Starts {@code instances} streams instances on the backlog and measures them until it is indexed. */
    private static String drain(Bench b, ProcessSampler sampler, Admin admin, int instances, long lines, long target)
            throws Exception {
        awaitTrue(() -> b.counts.read().raw() >= target, "raw records " + target);
        for (int i = 1; i <= 2; i++) {
            deleteTree(b.deployment.streamsState(i)); // both start empty: the assignor balances equal instances
        }
        List<String> names = instances == 1 ? List.of("streams") : List.of("streams", "streams-2");
        String phase = instances + " instance" + (instances == 1 ? "" : "s");
        sampler.phase(phase);
        long t0 = System.nanoTime();
        b.deployment.startStages(names);
        double ready = (System.nanoTime() - t0) / 1e9;
        long rawEnd = b.counts.endOffsets(b.topics.raw());
        Map<String, List<Integer>> assignment = new TreeMap<>();
        double drained = awaitTrue(() -> {
            // the group settles on its final split once every instance has joined: keep the widest one seen
            Map<String, List<Integer>> now = assignment(admin);
            if (now.size() >= assignment.size()) {
                assignment.clear();
                assignment.putAll(now);
            }
            return b.counts.endOffsets(b.topics.raw()) - b.counts.lag("auditrail-streams", b.topics.raw()) >= rawEnd;
        }, "streams past " + rawEnd);
        double indexed = awaitTrue(() -> b.counts.read().events() >= target, "events " + target);
        sampler.phase("after " + phase);
        Map<String, ProcessSampler.Usage> u = sampler.over(List.of(phase));
        double streamsCpu = names.stream().mapToDouble(n -> u.get(n).cpuSeconds()).sum();
        double t = (System.nanoTime() - t0) / 1e9;
        for (String n : names) {
            b.deployment.process(n).stop();
        }
        // drained and indexed count from the instances being ready
        return String.format("| %d | %,d | %.1f | %.1f | %,.0f | %,.0f | %.1f | %.2f | %s |", instances, lines, ready,
                drained, lines / drained, lines / (drained + indexed), streamsCpu * 1e6 / lines, streamsCpu / t,
                assignment);
    }

    /** Raw-topic partitions of each member of the streams group, by (the first 8 digits of) its process id. */
    private static Map<String, List<Integer>> assignment(Admin admin) throws Exception {
        Map<String, List<Integer>> out = new TreeMap<>();
        ConsumerGroupDescription g = admin.describeConsumerGroups(List.of("auditrail-streams")).all().get()
                .get("auditrail-streams");
        for (MemberDescription m : g.members()) {
            List<Integer> parts = m.assignment().topicPartitions().stream()
                    .filter(tp -> tp.topic().equals("vault.audit.raw")).map(tp -> tp.partition()).sorted().toList();
            if (!parts.isEmpty()) {
                out.put(m.clientId().replaceAll("-StreamThread.*", "").replaceAll(".*-([0-9a-f]{8})[0-9a-f-]*$",
                        "$1"), parts);
            }
        }
        return out;
    }

    private interface Check {
        boolean done() throws Exception;
    }

    /** Seconds until the check holds, polled every 200 ms, at most 300 s. */
    private static double awaitTrue(Check check, String what) throws Exception {
        long t0 = System.nanoTime();
        long deadline = t0 + 300_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                if (check.done()) {
                    return (System.nanoTime() - t0) / 1e9;
                }
            } catch (Exception e) {
                // a rebalance or a restart under way: look again
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("not reached within 300 s: " + what);
    }

    private static void deleteTree(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
