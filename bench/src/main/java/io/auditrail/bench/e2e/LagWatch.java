package io.auditrail.bench.e2e;

/**
 * Watches, during one phase, how far the streams stage (group {@code auditrail-streams} on the raw topic) and the
 * index stage (group {@code auditrail-index} on the events topic) are behind, to tell which stage holds a backlog.
 */
final class LagWatch implements AutoCloseable {
    /** Peak lag of each stage and the seconds after the start when each was last seen behind. */
    record Result(long streamsPeak, double streamsBehindUntil, long indexPeak, double indexBehindUntil) {
    }

    private final Thread thread;
    private final long t0 = System.nanoTime();
    private volatile boolean running = true;
    private long streamsPeak;
    private long indexPeak;
    private double streamsUntil;
    private double indexUntil;

    LagWatch(PipelineCounts counts, String rawTopic, String eventsTopic) {
        thread = new Thread(() -> {
            while (running) {
                try {
                    long s = counts.lag("auditrail-streams", rawTopic);
                    long i = counts.lag("auditrail-index", eventsTopic);
                    double at = (System.nanoTime() - t0) / 1e9;
                    synchronized (this) {
                        streamsPeak = Math.max(streamsPeak, s);
                        indexPeak = Math.max(indexPeak, i);
                        streamsUntil = s > 0 ? at : streamsUntil;
                        indexUntil = i > 0 ? at : indexUntil;
                    }
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // a failed look-up (a group mid-rebalance) only leaves a gap in the samples
                }
            }
        }, "e2e-lag-watch");
        thread.setDaemon(true);
        thread.start();
    }

    synchronized Result result() {
        return new Result(streamsPeak, streamsUntil, indexPeak, indexUntil);
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
