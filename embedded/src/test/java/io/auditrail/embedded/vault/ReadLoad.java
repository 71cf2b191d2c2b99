package io.auditrail.embedded.vault;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads one secret in a loop from every node in turn, as an application behind a health-checked load balancer
 * would: a failed attempt (error status, refused connection, timeout) moves to the next node after 100 ms, for up
 * to {@value #GIVE_UP_MILLIS} ms; only a read that found no node in that time counts as failed. Records the longest
 * time one read waited for an answer, the unavailability a caller saw.
 */
final class ReadLoad implements AutoCloseable {
    static final long GIVE_UP_MILLIS = 15_000;
    private final List<VaultNode> nodes;
    private final String path;
    private final String token;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong longestWaitNanos = new AtomicLong();
    private final List<Thread> threads;

    ReadLoad(List<VaultNode> nodes, String path, String token, int threadCount) {
        this.nodes = nodes;
        this.path = path;
        this.token = token;
        this.threads = java.util.stream.IntStream.range(0, threadCount).mapToObj(i -> {
            Thread t = new Thread(() -> loop(i), "read-load-" + i);
            t.start();
            return t;
        }).toList();
    }

    private void loop(int offset) {
        long i = offset;
        while (running.get()) {
            long start = System.nanoTime();
            boolean ok = false;
            int attempt = 0;
            while (!ok && System.nanoTime() - start < GIVE_UP_MILLIS * 1_000_000) {
                VaultNode n = nodes.get((int) ((i + attempt) % nodes.size()));
                try {
                    ok = n.api().get(path, token).status() == 200;
                } catch (IOException e) {
                    ok = false;
                }
                if (!ok) {
                    attempt++;
                    VaultNode.sleep(100);
                }
            }
            long waited = System.nanoTime() - start;
            longestWaitNanos.accumulateAndGet(waited, Math::max);
            reads.incrementAndGet();
            if (attempt > 0) {
                retried.incrementAndGet();
            }
            if (!ok) {
                failed.incrementAndGet();
            }
            i++;
        }
    }

    long reads() {
        return reads.get();
    }

    long retried() {
        return retried.get();
    }

    long failed() {
        return failed.get();
    }

    double longestWaitSeconds() {
        return longestWaitNanos.get() / 1e9;
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(GIVE_UP_MILLIS + 5_000);
        }
    }
}
