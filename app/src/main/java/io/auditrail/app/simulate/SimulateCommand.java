package io.auditrail.app.simulate;

import io.auditrail.app.CommonOptions;
import io.auditrail.app.DurationArgument;
import io.auditrail.app.ExitCode;
import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.config.Settings;
import io.auditrail.simulator.AnomalyMix;
import io.auditrail.simulator.SimulationPlan;
import io.auditrail.simulator.SimulationReport;
import io.auditrail.simulator.Simulator;
import io.auditrail.simulator.VaultTrafficGenerator;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code auditrail simulate}: realistic Vault socket-device traffic against an ingest listener. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Behave as a set of Vault nodes with socket audit devices: request/response pairs of current "
                + "Vault shapes (KV v2 under tenant paths, AppRole logins, token renewals, LISTs, denials, system "
                + "operations), HMAC'd values, and planted anomalies whose expected count per rule is printed at the "
                + "end. Same seed, same traffic. Reconnects and resends as Vault does.",
                "See docs/SIMULATOR.md."})
public final class SimulateCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--target", required = true, paramLabel = "HOST:PORT",
            description = "The ingest listener (Vault's socket device address).")
    String target;

    @Option(names = "--rate", defaultValue = "1000", paramLabel = "LINES_PER_S",
            description = "Lines per second over all nodes; 0 = as fast as ingest takes them (needs --lines). "
                    + "Default ${DEFAULT-VALUE}.")
    double rate;

    @Option(names = "--duration", defaultValue = "60s", converter = DurationArgument.class,
            description = "How long to send (90s, 5m, 1h). Default ${DEFAULT-VALUE}.")
    Duration duration;

    @Option(names = "--lines", defaultValue = "0", description = "Stop after this many lines (0: rate x duration).")
    long lines;

    @Option(names = "--tenants", defaultValue = "5", description = "Number of tenants. Default ${DEFAULT-VALUE}.")
    int tenants;

    @Option(names = "--seed", defaultValue = "1", description = "Same seed, same traffic. Default ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--nodes", defaultValue = "3", description = "Vault nodes (connections). Default ${DEFAULT-VALUE}.")
    int nodes;

    @Option(names = "--anomalies", defaultValue = "on",
            description = "off, on (every rule once), or rule=n,... (all=n sets every rule). Default ${DEFAULT-VALUE}.")
    String anomalies;

    @Option(names = "--cut-every", defaultValue = "0",
            description = "Cut a connection mid-line every N lines (fault injection; 0 = never).")
    long cutEvery;

    @Option(names = "--publish-tenant-directory",
            description = "Put the tenant directory records some rules need on topic.tenants of kafka.bootstrap.servers "
                    + "before sending (off_hours_access fires only with them).")
    boolean publishDirectory;

    @Override
    public Integer call() throws Exception {
        SimulationPlan plan = plan();
        PrintWriter out = spec.commandLine().getOut();
        if (publishDirectory) {
            Settings settings = common.settings();
            CoreConfig core = new CoreConfig(settings);
            TenantDirectoryPublisher.publish(core.getString(CoreConfig.KAFKA_BOOTSTRAP_SERVERS),
                    core.topics().tenants(), new VaultTrafficGenerator(plan, Instant.now()).tenantDirectory());
        }
        Simulator simulator = new Simulator();
        Thread stopper = new Thread(simulator::stop, "auditrail-simulate-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        SimulationReport report = simulator.run(plan, new PrintStream(System.err, true, StandardCharsets.UTF_8));
        try {
            Runtime.getRuntime().removeShutdownHook(stopper);
        } catch (IllegalStateException e) {
            // already shutting down: the hook ran
        }
        out.print(report.summary());
        out.flush();
        return report.linesFailed() == 0 ? ExitCode.OK : ExitCode.FAILURE;
    }

    private SimulationPlan plan() {
        int colon = target.lastIndexOf(':');
        try {
            String host = target.substring(0, colon);
            int port = Integer.parseInt(target.substring(colon + 1));
            SimulationPlan base = rate == 0
                    ? SimulationPlan.unpaced(host, port, lines, tenants, seed)
                    : SimulationPlan.of(host, port, rate, duration, tenants, seed).withLineLimit(lines);
            return base.withNodes(nodes).withAnomalies(AnomalyMix.parse(anomalies)).withCutMidLineEvery(cutEvery);
        } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
            throw new ParameterException(spec.commandLine(), colon < 0 ? "--target must be HOST:PORT"
                    : e.getMessage());
        }
    }
}
