package io.auditrail.app.simulate;

import io.auditrail.simulator.SimulationPlan;
import io.auditrail.simulator.SimulationReport;
import io.auditrail.simulator.Simulator;
import io.auditrail.simulator.VaultTrafficGenerator;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * The simulator feeding a running stack from a background thread ({@code auditrail dev --simulate}): publishes the
 * tenant directory it needs, sends the plan's traffic, prints the report when done; stopped with the stack.
 */
public final class BackgroundSimulation implements AutoCloseable {
    private final Simulator simulator = new Simulator();
    private final Thread thread;

    private BackgroundSimulation(SimulationPlan plan, Consumer<String> printer) {
        this.thread = new Thread(() -> {
            SimulationReport report = simulator.run(plan);
            printer.accept("simulation finished:\n" + report.summary());
        }, "auditrail-dev-simulation");
        this.thread.setDaemon(true);
    }

    public static BackgroundSimulation start(SimulationPlan plan, String bootstrapServers, String tenantsTopic,
                                             Consumer<String> printer) throws Exception {
        TenantDirectoryPublisher.publish(bootstrapServers, tenantsTopic,
                new VaultTrafficGenerator(plan, Instant.now()).tenantDirectory());
        BackgroundSimulation s = new BackgroundSimulation(plan, printer);
        s.thread.start();
        return s;
    }

    @Override
    public void close() {
        simulator.stop();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
