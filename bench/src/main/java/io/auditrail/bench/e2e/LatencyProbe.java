package io.auditrail.bench.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes a request/response pair over its own connection every interval, each entry's {@code time} being the wall
 * clock at the write: the simulator compresses event time into the past, so only these rows tell how long a line
 * takes from the socket to PostgreSQL ({@code indexed_at - event_time}). Request ids are
 * {@code probe-<phase>-<n>}, so latencies can be split by phase.
 */
public final class LatencyProbe implements AutoCloseable {
    private final String host;
    private final int port;
    private final long intervalMs;
    private final AtomicLong linesSent = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final Thread thread;
    private volatile String phase = "idle";
    private volatile boolean running = true;
    private long n;

    private LatencyProbe(String host, int port, long intervalMs) {
        this.host = host;
        this.port = port;
        this.intervalMs = intervalMs;
        thread = new Thread(this::loop, "e2e-latency-probe");
        thread.setDaemon(true);
    }

    public static LatencyProbe start(String host, int port, long intervalMs) {
        LatencyProbe p = new LatencyProbe(host, port, intervalMs);
        p.thread.start();
        return p;
    }

    public void phase(String name) {
        phase = name;
    }

    /** Lines written whole (two per probe). */
    public long linesSent() {
        return linesSent.get();
    }

    public long failures() {
        return failures.get();
    }

    private void loop() {
        Socket socket = null;
        long next = System.nanoTime();
        while (running) {
            try {
                if (socket == null) {
                    socket = new Socket(host, port);
                    socket.setTcpNoDelay(true);
                }
                OutputStream out = socket.getOutputStream();
                out.write(pair("probe-" + phase + "-" + n++, Instant.now()));
                out.flush();
                linesSent.addAndGet(2);
            } catch (IOException e) {
                // a failed write may leave a fragment the receiver discards: count it and dial again
                failures.incrementAndGet();
                closeQuietly(socket);
                socket = null;
            }
            next += intervalMs * 1_000_000;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    break;
                }
            }
        }
        closeQuietly(socket);
    }

    /** Two paired lines of the quiet tenant {@code probe}, in the shape of the pipeline's own tests' ticks. */
    public static byte[] pair(String id, Instant at) {
        StringBuilder text = new StringBuilder(512);
        for (String type : new String[] {"request", "response"}) {
            text.append("{\"time\":\"").append(at).append("\",\"type\":\"").append(type)
                    .append("\",\"auth\":{\"metadata\":{\"tenant_id\":\"probe\"}},\"request\":{\"id\":\"").append(id)
                    .append("\",\"operation\":\"read\",\"path\":\"secret/data/tenants/probe/k\"}}\n");
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void closeQuietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closing a broken connection: nothing left to do
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
