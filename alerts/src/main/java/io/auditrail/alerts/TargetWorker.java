package io.auditrail.alerts;

import io.auditrail.core.stage.Backoff;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one target's deliveries on its own thread, so a target that is down delays only itself.
 *
 * <p>Handover: writer is the stage's loop thread ({@link #offer}), reader is this worker; the queue is bounded
 * ({@code alerts.target.queue.max}) and {@link #offer} never blocks: a full queue is refused and the caller records the
 * delivery as given up. Back-off is per target: after a failure nothing is sent to the target until the back-off
 * (exponential, jittered, or the target's Retry-After) has passed, then the oldest delivery is tried again; a success
 * drains the queue at full speed. Every delivery has its own deadline ({@code alerts.give.up.after.ms}) and is given
 * up on when it passes, whether or not it was tried. Outcomes are recorded (by {@link Recorder}) before they count.
 */
final class TargetWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TargetWorker.class);
    private static final int MAX_BODY_CHARS = 160;
    /** Read of an error body: enough to find and redact an echoed URL before the first MAX_BODY_CHARS are kept. */
    private static final int BODY_READ_BYTES = 4096;
    /** Shorter URL parts ("/", "api", "v2") are no secret and would garble the message if replaced. */
    private static final int MIN_REDACTED_CHARS = 8;
    private static final Duration WARN_EVERY = Duration.ofSeconds(30);

    /** Makes an outcome durable; returns false only when the stage is stopping (the outcome is then not counted). */
    interface Recorder {
        boolean record(Delivery delivery, DeliveryStatus status);
    }

    /** How one HTTP attempt ended. */
    record Attempt(AlertsMetrics.AttemptResult result, Integer httpStatus, String error, Duration retryAfter) {
    }

    private final Target target;
    private final HttpClient http;
    private final Duration timeout;
    private final Backoff backoff;
    private final Duration backoffMax;
    private final int capacity;
    private final Recorder recorder;
    private final AlertsMetrics metrics;
    private final Clock clock;
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Delivery> queue = new ArrayDeque<>(); // guarded by lock
    private volatile boolean running = true;

    // worker-thread state
    private int failures;
    /** The last failure of the target, null after a success: the reason given to deliveries never tried. */
    private String targetError;
    private long nextAttemptNanos = System.nanoTime();
    private long lastWarnNanos = System.nanoTime() - WARN_EVERY.toNanos();

    TargetWorker(Target target, HttpClient http, Duration timeout, Backoff backoff, Duration backoffMax, int capacity,
                 Recorder recorder, AlertsMetrics metrics, Clock clock) {
        this.target = target;
        this.http = http;
        this.timeout = timeout;
        this.backoff = backoff;
        this.backoffMax = backoffMax;
        this.capacity = capacity;
        this.recorder = recorder;
        this.metrics = metrics;
        this.clock = clock;
        metrics.target(target.name(), this::queued);
        this.thread = new Thread(this::run, "alerts-target-" + target.name());
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Whether the delivery thread runs (it ends on close, or on an error it did not expect). */
    boolean isRunning() {
        return thread.isAlive();
    }

    Target target() {
        return target;
    }

    /** Queues the delivery; false when the queue is full (never blocks the caller). */
    boolean offer(Delivery d) {
        lock.lock();
        try {
            if (queue.size() >= capacity) {
                return false;
            }
            queue.addLast(d);
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        try {
            while (running) {
                for (Delivery d : takeOverdue()) {
                    d.lastError = d.lastError != null ? "gave up at the deadline; last error: " + d.lastError
                            : targetError != null ? "gave up at the deadline without an attempt; the target was "
                            + "failing: " + targetError
                            : "gave up at the deadline without an attempt";
                    finish(d, DeliveryStatus.GAVE_UP);
                }
                Delivery next = awaitNext();
                if (next == null) {
                    continue;
                }
                Attempt a = attempt(next);
                metrics.attempt(target.name(), a.result());
                switch (a.result()) {
                    case OK -> {
                        failures = 0;
                        targetError = null;
                        remove(next);
                        finish(next, DeliveryStatus.DELIVERED);
                    }
                    case REJECTED -> {
                        // the target refused this payload (4xx): retrying sends the same bytes and gets the same answer
                        remove(next);
                        finish(next, DeliveryStatus.GAVE_UP);
                    }
                    case RETRYABLE -> {
                        failures++;
                        targetError = a.error();
                        Duration wait = backoff.delay(failures);
                        if (a.retryAfter() != null) {
                            wait = a.retryAfter().compareTo(backoffMax) > 0 ? backoffMax : a.retryAfter();
                        }
                        nextAttemptNanos = System.nanoTime() + wait.toNanos();
                        warn(next, wait);
                    }
                }
            }
        } catch (InterruptedException e) {
            // close(): what is still queued is not committed and is read again on the next start
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("alert target {} worker stopped on an unexpected error; its deliveries stay uncommitted",
                    target.name(), e);
        }
    }

    private List<Delivery> takeOverdue() {
        List<Delivery> out = new ArrayList<>();
        long now = System.nanoTime();
        lock.lock();
        try {
            queue.removeIf(d -> {
                if (now - d.deadlineNanos >= 0) {
                    out.add(d);
                    return true;
                }
                return false;
            });
        } finally {
            lock.unlock();
        }
        return out;
    }

    /** The oldest delivery once the back-off has passed; null after a wait (to re-check deadlines and the flag). */
    private Delivery awaitNext() throws InterruptedException {
        lock.lock();
        try {
            if (queue.isEmpty()) {
                changed.await(200, TimeUnit.MILLISECONDS);
                return null;
            }
            long now = System.nanoTime();
            long wait = nextAttemptNanos - now;
            if (wait > 0) {
                long untilDeadline = queue.stream().mapToLong(d -> d.deadlineNanos - now).min().orElse(wait);
                changed.awaitNanos(Math.max(1, Math.min(Math.min(wait, untilDeadline), 200_000_000L)));
                return null;
            }
            return queue.peekFirst();
        } finally {
            lock.unlock();
        }
    }

    private void remove(Delivery d) {
        lock.lock();
        try {
            queue.remove(d);
        } finally {
            lock.unlock();
        }
    }

    private void finish(Delivery d, DeliveryStatus status) {
        if (!recorder.record(d, status)) {
            return;
        }
        metrics.outcome(target.name(), status == DeliveryStatus.DELIVERED ? AlertsMetrics.Outcome.DELIVERED
                : AlertsMetrics.Outcome.GAVE_UP);
        metrics.latency(target.name(), System.nanoTime() - d.consumedNanos);
        if (status == DeliveryStatus.GAVE_UP) {
            LOG.warn("alert target {} gave up on anomaly {} revision {} after {} attempts: {}", target.name(),
                    d.key.anomalyId(), d.key.revision(), d.attempts, d.lastError);
        }
        d.done.complete(status);
    }

    private void warn(Delivery d, Duration wait) {
        long now = System.nanoTime();
        if (now - lastWarnNanos >= WARN_EVERY.toNanos()) {
            lastWarnNanos = now;
            LOG.warn("alert target {} failing ({} consecutive failures, {} queued): {}; next attempt in {} ms",
                    target.name(), failures, queued(), d.lastError, wait.toMillis());
        }
    }

    /** One POST. 2xx delivers; 408, 425, 429 and 5xx and I/O failures are retried; other statuses are refusals. */
    Attempt attempt(Delivery d) throws InterruptedException {
        if (d.firstAttemptAt == null) {
            d.firstAttemptAt = clock.instant();
        }
        d.attempts++;
        HttpRequest request = HttpRequest.newBuilder(target.url())
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "auditrail-alerts")
                .POST(HttpRequest.BodyPublishers.ofByteArray(d.body))
                .build();
        Attempt a;
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            int status = response.statusCode();
            String body;
            try (InputStream in = response.body()) {
                // redacted before it is cut short, so no cut can leave half of the URL behind
                body = oneLine(withoutUrl(new String(in.readNBytes(BODY_READ_BYTES), StandardCharsets.UTF_8)));
            }
            if (status >= 200 && status < 300) {
                a = new Attempt(AlertsMetrics.AttemptResult.OK, status, null, null);
            } else if (status == 408 || status == 425 || status == 429 || status >= 500) {
                a = new Attempt(AlertsMetrics.AttemptResult.RETRYABLE, status, "HTTP " + status + reason(body),
                        retryAfter(response));
            } else {
                a = new Attempt(AlertsMetrics.AttemptResult.REJECTED, status, "HTTP " + status + reason(body), null);
            }
        } catch (HttpTimeoutException e) {
            a = new Attempt(AlertsMetrics.AttemptResult.RETRYABLE, null, "timed out after " + timeout.toMillis()
                    + " ms", null);
        } catch (IOException e) {
            // the message of a ConnectException is often null; the class name says enough, the URL is never added
            a = new Attempt(AlertsMetrics.AttemptResult.RETRYABLE, null, e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + oneLine(withoutUrl(e.getMessage()))), null);
        }
        d.lastHttpStatus = a.httpStatus();
        d.lastError = a.error();
        return a;
    }

    /**
     * The error text with the target's URL, its path, query and every longer path segment replaced: a server or proxy
     * that echoes the request ("Cannot POST /services/T0/B0/secret") would otherwise put a Slack webhook's credential
     * into the log and the delivery table.
     */
    String withoutUrl(String text) {
        URI url = target.url();
        List<String> parts = new ArrayList<>(List.of(url.toString(), String.valueOf(url.getRawPath()),
                String.valueOf(url.getPath()), String.valueOf(url.getRawQuery())));
        for (String segment : String.valueOf(url.getRawPath()).split("/")) {
            parts.add(segment);
        }
        String out = text;
        for (String part : parts) {
            if (part.length() >= MIN_REDACTED_CHARS) {
                out = out.replace(part, "<target url>");
            }
        }
        return out;
    }

    private static String reason(String body) {
        return body.isEmpty() ? "" : ": " + body;
    }

    private static String oneLine(String s) {
        String t = s.replaceAll("\\s+", " ").strip();
        return t.length() > MAX_BODY_CHARS ? t.substring(0, MAX_BODY_CHARS) : t;
    }

    private static Duration retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").map(v -> {
            try {
                long s = Long.parseLong(v.trim());
                return s >= 0 ? Duration.ofSeconds(s) : null;
            } catch (NumberFormatException e) {
                return null; // an HTTP date: our own back-off applies
            }
        }).orElse(null);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
