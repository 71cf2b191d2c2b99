package io.auditrail.bench.e2e;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Watches, during one phase, how far each stage is behind (for a Kafka consumer stage: records of its input topic
 * past its group's committed offsets), every 250 ms, to tell which stage holds a backlog.
 */
public final class LagWatch implements AutoCloseable {
    /** How far one stage is behind now. */
    @FunctionalInterface
    public interface Source {
        long lag() throws Exception;
    }

    /** Peak lag of one stage and the seconds after the start when it was last seen behind. */
    public record Peak(long peak, double behindUntil) {
    }

    private final Thread thread;
    private final long t0 = System.nanoTime();
    private final Map<String, Peak> peaks = new LinkedHashMap<>();
    private volatile boolean running = true;

    /** Lag of the streams stage (group {@code auditrail-streams} on raw) and index ({@code auditrail-index} on events). */
    public LagWatch(PipelineCounts counts, String rawTopic, String eventsTopic) {
        this(ordered(Map.entry("streams", () -> counts.lag("auditrail-streams", rawTopic)),
                Map.entry("index", () -> counts.lag("auditrail-index", eventsTopic))));
    }

    public LagWatch(Map<String, Source> sources) {
        sources.keySet().forEach(k -> peaks.put(k, new Peak(0, 0)));
        thread = new Thread(() -> {
            while (running) {
                for (Map.Entry<String, Source> s : sources.entrySet()) {
                    try {
                        long lag = s.getValue().lag();
                        double at = (System.nanoTime() - t0) / 1e9;
                        synchronized (this) {
                            Peak p = peaks.get(s.getKey());
                            peaks.put(s.getKey(), new Peak(Math.max(p.peak(), lag), lag > 0 ? at : p.behindUntil()));
                        }
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        // a failed look-up (a group mid-rebalance, a stage restarting) only leaves a gap in the samples
                    }
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "e2e-lag-watch");
        thread.setDaemon(true);
        thread.start();
    }

    @SafeVarargs
    private static Map<String, Source> ordered(Map.Entry<String, Source>... sources) {
        Map<String, Source> m = new LinkedHashMap<>();
        for (Map.Entry<String, Source> e : sources) {
            m.put(e.getKey(), e.getValue());
        }
        return m;
    }

    /** The peaks so far, by stage, in the order the sources were given. */
    public synchronized Map<String, Peak> result() {
        return new LinkedHashMap<>(peaks);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
