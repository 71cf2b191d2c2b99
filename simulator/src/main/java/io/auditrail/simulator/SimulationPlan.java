package io.auditrail.simulator;

import java.time.Duration;

/**
 * What to simulate: where the Vault nodes' socket audit devices write, how fast, for how long, how many tenants,
 * and which anomalies to plant. Same plan and seed, same lines (the base time aside).
 *
 * @param host              the receiver (auditrail ingest)
 * @param port              its TCP port
 * @param rate              lines per second over all nodes; 0 sends as fast as the receiver takes them
 *                          (then {@code lineLimit} is required)
 * @param duration          how long to send at {@code rate}; lines = rate x duration unless {@code lineLimit} is smaller
 * @param tenants           tenants with their own AppRole clients and secrets (1..500)
 * @param seed              the traffic's seed: same seed, same bytes
 * @param nodes             Vault nodes, each with its own persistent connection (Vault's default HA cluster: 3)
 * @param anomalies         the planted anomalies ({@link AnomalyMix#none()} for normal traffic only)
 * @param lineLimit         stop after this many lines; 0 for no limit
 * @param writeTimeout      the socket device's {@code write_timeout} (Vault's default 2 s): dial and write deadline
 * @param cutMidLineEvery   fault injection: every n-th line a node writes is cut half-way and the connection
 *                          closed, as when a network path drops (Vault then reconnects and resends); 0 never
 */
public record SimulationPlan(String host, int port, double rate, Duration duration, int tenants, long seed,
                             int nodes, AnomalyMix anomalies, long lineLimit, Duration writeTimeout,
                             long cutMidLineEvery) {
    public static final int DEFAULT_NODES = 3;
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(2);

    public SimulationPlan {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("target host is required");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535: " + port);
        }
        if (rate < 0 || Double.isNaN(rate) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("rate must be >= 0 lines/s (0 = as fast as possible): " + rate);
        }
        if (duration == null || duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative");
        }
        if (tenants < 1 || tenants > 500) {
            throw new IllegalArgumentException("tenants must be 1..500: " + tenants);
        }
        if (nodes < 1 || nodes > 16) {
            throw new IllegalArgumentException("nodes must be 1..16: " + nodes);
        }
        if (lineLimit < 0) {
            throw new IllegalArgumentException("line limit must be >= 0 (0 = none): " + lineLimit);
        }
        if (rate == 0 && lineLimit == 0) {
            throw new IllegalArgumentException("an unpaced run (rate 0) needs a line limit");
        }
        if (writeTimeout == null || writeTimeout.isZero() || writeTimeout.isNegative()) {
            // Vault's write_timeout=0 makes every write fail (reference/vault-audit.md 0.1); refuse it here too
            throw new IllegalArgumentException("write timeout must be positive");
        }
        if (cutMidLineEvery < 0) {
            throw new IllegalArgumentException("cutMidLineEvery must be >= 0: " + cutMidLineEvery);
        }
        anomalies = anomalies == null ? AnomalyMix.none() : anomalies;
        if (totalLinesOf(rate, duration, lineLimit) < 1) {
            throw new IllegalArgumentException("the plan sends no line: rate x duration is 0");
        }
    }

    /** Defaults for the rest: 3 nodes, every rule planted once, no line limit, 2 s write timeout, no faults. */
    public static SimulationPlan of(String host, int port, double rate, Duration duration, int tenants, long seed) {
        return new SimulationPlan(host, port, rate, duration, tenants, seed, DEFAULT_NODES, AnomalyMix.oncePerRule(),
                0, DEFAULT_WRITE_TIMEOUT, 0);
    }

    /** As fast as the receiver takes them: {@code lines} lines, otherwise the defaults of {@link #of}. */
    public static SimulationPlan unpaced(String host, int port, long lines, int tenants, long seed) {
        return new SimulationPlan(host, port, 0, Duration.ZERO, tenants, seed, DEFAULT_NODES, AnomalyMix.oncePerRule(),
                lines, DEFAULT_WRITE_TIMEOUT, 0);
    }

    public SimulationPlan withNodes(int n) {
        return new SimulationPlan(host, port, rate, duration, tenants, seed, n, anomalies, lineLimit, writeTimeout,
                cutMidLineEvery);
    }

    public SimulationPlan withAnomalies(AnomalyMix mix) {
        return new SimulationPlan(host, port, rate, duration, tenants, seed, nodes, mix, lineLimit, writeTimeout,
                cutMidLineEvery);
    }

    public SimulationPlan withLineLimit(long limit) {
        return new SimulationPlan(host, port, rate, duration, tenants, seed, nodes, anomalies, limit, writeTimeout,
                cutMidLineEvery);
    }

    public SimulationPlan withWriteTimeout(Duration timeout) {
        return new SimulationPlan(host, port, rate, duration, tenants, seed, nodes, anomalies, lineLimit, timeout,
                cutMidLineEvery);
    }

    public SimulationPlan withCutMidLineEvery(long every) {
        return new SimulationPlan(host, port, rate, duration, tenants, seed, nodes, anomalies, lineLimit, writeTimeout,
                every);
    }

    /** Lines the run sends: rate x duration, capped by the line limit. */
    public long totalLines() {
        return totalLinesOf(rate, duration, lineLimit);
    }

    /** Whether lines are paced at {@link #rate()}. */
    public boolean paced() {
        return rate > 0;
    }

    private static long totalLinesOf(double rate, Duration duration, long lineLimit) {
        if (rate == 0) {
            return lineLimit;
        }
        long byRate = (long) Math.floor(rate * (duration.toNanos() / 1e9) + 1e-9);
        return lineLimit > 0 ? Math.min(lineLimit, byRate) : byRate;
    }
}
