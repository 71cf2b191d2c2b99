package io.auditrail.simulator;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a {@link SimulationPlan}: generates the traffic and writes it at the plan's rate over one
 * {@link VaultSocketClient} per Vault node, each on its own thread (Vault's nodes write independently). The
 * calling thread generates and paces; a full node queue slows it down, as a slow receiver slows Vault.
 *
 * <p>Event time ends about when the run does: the base time is now minus the event span, plus the run's duration.
 */
public final class Simulator {
    private static final GeneratedLine END = new GeneratedLine(-1, null, "end", new byte[0], 0, null, null, null);
    private static final int QUEUE_LINES = 8192;

    private final Clock clock;
    private final AtomicBoolean stopping = new AtomicBoolean();

    public Simulator() {
        this(Clock.systemUTC());
    }

    public Simulator(Clock clock) {
        this.clock = clock;
    }

    /** Asks a running {@link #run} to stop after the line in hand; it then returns its report. */
    public void stop() {
        stopping.set(true);
    }

    public SimulationReport run(SimulationPlan plan) {
        return run(plan, null);
    }

    /** @param progress where to print a line every 5 seconds, or null */
    public SimulationReport run(SimulationPlan plan, PrintStream progress) {
        Duration span = VaultTrafficGenerator.eventSpan(plan);
        Duration sendTime = plan.paced() ? Duration.ofNanos((long) (plan.totalLines() / plan.rate() * 1e9))
                : Duration.ZERO;
        Instant baseTime = clock.instant().minus(span).plus(sendTime);
        VaultTrafficGenerator generator = new VaultTrafficGenerator(plan, baseTime);
        InetSocketAddress target = new InetSocketAddress(plan.host(), plan.port());
        List<PlantedSend> plantsSent = Collections.synchronizedList(new ArrayList<>());

        List<NodeWriter> writers = new ArrayList<>();
        for (int n = 0; n < plan.nodes(); n++) {
            NodeWriter w = new NodeWriter(n, new VaultSocketClient(target, plan.writeTimeout(),
                    plan.cutMidLineEvery()), clock, plantsSent);
            writers.add(w);
            w.thread.start();
        }
        long start = System.nanoTime();
        long nextProgress = start + 5_000_000_000L;
        long sent = 0;
        try {
            GeneratedLine line;
            while (!stopping.get() && (line = generator.next()) != null) {
                if (plan.paced()) {
                    pace(start, sent, plan.rate());
                }
                writers.get(line.node()).put(line);
                sent++;
                if (progress != null && System.nanoTime() >= nextProgress) {
                    nextProgress += 5_000_000_000L;
                    progress.printf(Locale.ROOT, "simulate: %d of %d lines handed to %d node(s), %.0f lines/s%n",
                            sent, plan.totalLines(), plan.nodes(), sent / ((System.nanoTime() - start) / 1e9));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            for (NodeWriter w : writers) {
                w.finish();
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        long written = 0, failed = 0, reconnects = 0, resends = 0, cuts = 0;
        for (NodeWriter w : writers) {
            written += w.client.linesWritten();
            failed += w.client.failures();
            reconnects += w.client.reconnects();
            resends += w.client.resends();
            cuts += w.client.cuts();
        }
        GenerationStats stats = generator.stats();
        List<String> notes = new ArrayList<>(generator.notes());
        if (stats.lines() < generator.totalLines()) {
            notes.add("stopped early after " + stats.lines() + " of " + generator.totalLines()
                    + " lines: expected anomalies count the planted ones sent");
        }
        return new SimulationReport(plan.host() + ":" + plan.port(), plan.nodes(), elapsed, stats.lines(), written,
                failed, stats.requests(), stats.responses(), stats.byKind(), reconnects, resends, cuts,
                stats.lines() < generator.totalLines() ? stats.planted() : generator.expectedAnomalies(),
                stats.byTenant(), generator.tenantDirectory(), stats.firstTime(), stats.lastTime(),
                sortedByTime(plantsSent), notes);
    }

    private static List<PlantedSend> sortedByTime(List<PlantedSend> sends) {
        synchronized (sends) {
            List<PlantedSend> out = new ArrayList<>(sends);
            out.sort(Comparator.comparing(PlantedSend::sentAt));
            return out;
        }
    }

    /** Waits until line {@code sent} is due at {@code rate} lines/s from {@code start}. */
    private static void pace(long start, long sent, double rate) throws InterruptedException {
        long due = start + (long) (sent / rate * 1e9);
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(Math.min(wait, 1_000_000));
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    /**
     * One Vault node's audit device: a queue of lines and the thread writing them. Writer: the generator thread.
     * Reader: this node's thread. When full: the generator waits.
     */
    private static final class NodeWriter {
        final VaultSocketClient client;
        final BlockingQueue<GeneratedLine> queue = new ArrayBlockingQueue<>(QUEUE_LINES);
        final Thread thread;
        private final Clock clock;
        private final List<PlantedSend> plantsSent;

        NodeWriter(int node, VaultSocketClient client, Clock clock, List<PlantedSend> plantsSent) {
            this.client = client;
            this.clock = clock;
            this.plantsSent = plantsSent;
            this.thread = new Thread(this::drain, "simulate-vault-" + (node + 1));
            this.thread.setDaemon(true);
        }

        void put(GeneratedLine line) throws InterruptedException {
            queue.put(line);
        }

        private void drain() {
            try {
                for (GeneratedLine line = queue.take(); line != END; line = queue.take()) {
                    // a failed line is counted by the client, as Vault counts failed audits
                    if (client.write(line.line()) && line.plant() != null && line.type().equals("request")) {
                        plantsSent.add(new PlantedSend(line.plant().wire(), line.requestId(), line.node(),
                                clock.instant()));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                client.close();
            }
        }

        void finish() {
            try {
                if (!queue.offer(END, 30, TimeUnit.SECONDS)) {
                    thread.interrupt();
                }
                thread.join(TimeUnit.SECONDS.toMillis(60));
            } catch (InterruptedException e) {
                thread.interrupt();
                Thread.currentThread().interrupt();
            }
        }
    }
}
