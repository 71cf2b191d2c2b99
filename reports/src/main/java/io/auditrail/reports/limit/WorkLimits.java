package io.auditrail.reports.limit;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many calls of each {@link WorkKind} may run at once, per token and in all. A call that finds no room is refused
 * at once ({@link Throttled}, answered 429 with {@code Retry-After}) instead of queueing: a queue would hold a server
 * thread and, for packs, a database connection per waiting call, which is the exhaustion this class exists to prevent.
 * The per-token bound keeps one token from taking what others need; the total bounds a fleet of tokens.
 * <p>
 * Thread-safe. Per-token semaphores are kept for tokens that have called (bounded by the tokens an operator created).
 */
public final class WorkLimits {
    /** Concurrency of one kind: per token and in all. */
    public record Bound(int perToken, int total) {
        public Bound {
            if (perToken < 1 || total < perToken) {
                throw new IllegalArgumentException("need 1 <= perToken <= total: " + perToken + ", " + total);
            }
        }
    }

    private final Map<WorkKind, Lane> lanes = new EnumMap<>(WorkKind.class);

    public WorkLimits(Map<WorkKind, Bound> bounds) {
        for (WorkKind kind : WorkKind.values()) {
            Bound b = bounds.get(kind);
            if (b == null) {
                throw new IllegalArgumentException("no bound for " + kind);
            }
            lanes.put(kind, new Lane(kind, b));
        }
    }

    /**
     * Takes a slot for one call of {@code kind} by {@code tokenId}; close the permit when the call ends.
     *
     * @throws Throttled when the token or the server runs as many such calls as allowed
     */
    public Permit enter(WorkKind kind, String tokenId) {
        return lanes.get(kind).enter(tokenId);
    }

    /** Calls of a kind running now (for tests and metrics). */
    public int running(WorkKind kind) {
        Lane lane = lanes.get(kind);
        return lane.bound.total() - lane.total.availablePermits();
    }

    /** One running call's slot. Closing it twice releases once. */
    public static final class Permit implements AutoCloseable {
        private final Lane lane;
        private final Semaphore token;
        private final long started = System.nanoTime();
        private boolean closed;

        private Permit(Lane lane, Semaphore token) {
            this.lane = lane;
            this.token = token;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            token.release();
            lane.total.release();
            lane.took(System.nanoTime() - started);
        }
    }

    private static final class Lane {
        private final WorkKind kind;
        private final Bound bound;
        private final Semaphore total;
        private final Map<String, Semaphore> perToken = new ConcurrentHashMap<>();
        /** Moving average of how long a call of this kind takes, in nanoseconds: the Retry-After hint. */
        private final AtomicLong averageNanos;

        Lane(WorkKind kind, Bound bound) {
            this.kind = kind;
            this.bound = bound;
            this.total = new Semaphore(bound.total());
            this.averageNanos = new AtomicLong(kind.typical().toNanos());
        }

        Permit enter(String tokenId) {
            Semaphore mine = perToken.computeIfAbsent(tokenId, t -> new Semaphore(bound.perToken()));
            if (!mine.tryAcquire()) {
                throw new Throttled("this token already runs " + bound.perToken() + " " + kind.wire()
                        + " call(s) at once (reports.limit." + kind.wire() + ".per.token); retry when one has ended",
                        retryAfterSeconds());
            }
            if (!total.tryAcquire()) {
                mine.release();
                throw new Throttled("the server already runs " + bound.total() + " " + kind.wire()
                        + " calls at once (reports.limit." + kind.wire() + ".total); retry shortly",
                        retryAfterSeconds());
            }
            return new Permit(this, mine);
        }

        void took(long nanos) {
            averageNanos.updateAndGet(avg -> avg + (nanos - avg) / 5); // weight 1/5: follows a change in a few calls
        }

        long retryAfterSeconds() {
            long seconds = Duration.ofNanos(averageNanos.get()).toSeconds() + 1;
            return Math.max(1, Math.min(120, seconds));
        }
    }
}
