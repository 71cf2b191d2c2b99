package io.auditrail.reports.evidence;

import io.auditrail.archive.ArchiveConfig;
import io.auditrail.archive.ArchiveStore;
import io.auditrail.archive.ArchiveVerifier;
import io.auditrail.archive.ObjectKey;
import io.auditrail.archive.VerifyReport;
import io.auditrail.core.config.PostgresLogin;
import io.auditrail.core.config.Settings;
import io.auditrail.reports.evidence.EvidenceFacts.ArchiveFacts;
import io.auditrail.reports.evidence.EvidenceFacts.Verification;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.BiFunction;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archive's part of a pack: when its oldest object starts, and the verification of the period. Neither ever
 * fails the pack: an archive that is not configured or not reachable is stated as such ("not verified: reason").
 * <p>
 * The work is bounded, because any auditor may ask for a pack and verification reads every archived object of the
 * period, every tenant's: a pack verifies at most {@code maxVerify} (reports.verify.max.days) at the end of its
 * period; the verification of a window that is over (ended more than {@link #SETTLED} ago, so no digest can still
 * list its objects) is kept for {@code cacheFor} and reused by later packs of that window, whatever their tenant or
 * format; packs asking for a window being verified wait for that verification instead of starting another. The
 * oldest object is kept as long. Thread-safe.
 * <p>
 * What a tenant's pack says of the archive is what is true for that tenant without platform-wide facts: no bucket
 * name, object key, object or line count, nor S3 error text (those go to the log).
 */
final class ArchiveEvidence {
    private static final Logger LOG = LoggerFactory.getLogger(ArchiveEvidence.class);
    /** A window ending this long ago is over: the archiver's digests (hourly, plus their listing slack) are written. */
    static final Duration SETTLED = Duration.ofHours(3);
    private static final int MAX_CACHED = 1_000;
    private static final int MAX_REASON_CHARS = 300;

    private record Window(Instant from, Instant to) {
    }

    private record Cached<T>(CompletableFuture<T> result, Instant expires) {
    }

    private record Oldest(Instant time, String note) {
    }

    private final Settings settings;
    private final int lookbackYears;
    private final Clock clock;
    private final Duration maxVerify;
    private final Duration cacheFor;
    private final BiFunction<Instant, Instant, VerifyReport> verifier;
    private final Map<Window, Cached<Verification>> verifications = new ConcurrentHashMap<>();
    private volatile Cached<Oldest> oldest;

    ArchiveEvidence(Settings settings, PostgresLogin login, int lookbackYears, Clock clock, Duration maxVerify,
                    Duration cacheFor) {
        this(settings, lookbackYears, clock, maxVerify, cacheFor, (from, to) -> ArchiveVerifier.verify(settings, login,
                from, to));
    }

    ArchiveEvidence(Settings settings, int lookbackYears, Clock clock, Duration maxVerify, Duration cacheFor,
                    BiFunction<Instant, Instant, VerifyReport> verifier) {
        this.settings = settings;
        this.lookbackYears = lookbackYears;
        this.clock = clock;
        this.maxVerify = maxVerify;
        this.cacheFor = cacheFor;
        this.verifier = verifier;
    }

    ArchiveFacts gather(Instant from, Instant to) {
        Oldest o = oldestObject();
        return new ArchiveFacts(o.time(), o.note(), verify(from, to));
    }

    /** The verification of the last {@code maxVerify} of [from, to), reused when that window is over. */
    Verification verify(Instant from, Instant to) {
        Window w = new Window(Duration.between(from, to).compareTo(maxVerify) > 0 ? to.minus(maxVerify) : from, to);
        Instant now = clock.instant();
        boolean settled = !cacheFor.isZero() && w.to().plus(SETTLED).isBefore(now);
        if (!settled) {
            return verifyNow(w);
        }
        verifications.values().removeIf(c -> c.expires().isBefore(now));
        Cached<Verification> mine = new Cached<>(new CompletableFuture<>(), now.plus(cacheFor));
        Cached<Verification> existing = verifications.size() >= MAX_CACHED ? null
                : verifications.putIfAbsent(w, mine);
        if (existing != null) {
            return await(existing.result(), w);
        }
        Verification v;
        try {
            v = verifyNow(w);
        } catch (Error e) {
            mine.result().completeExceptionally(e); // those waiting for it must not wait forever
            verifications.remove(w, mine);
            throw e;
        }
        mine.result().complete(v);
        if (!v.verified()) {
            verifications.remove(w, mine); // a failure to run is not a result worth keeping
        }
        return v;
    }

    private Verification verifyNow(Window w) {
        try {
            VerifyReport report = verifier.apply(w.from(), w.to());
            return new Verification(true, null, w.from(), w.to(), report.digests(), report.chainHead(),
                    report.problems().stream().map(p -> p.kind().name() + " " + p.key())
                            .toList());
        } catch (ConfigException e) {
            LOG.warn("evidence pack: archive verification is not configured: {}", shortReason(e));
            return Verification.notVerified("archive verification is not configured on this server");
        } catch (RuntimeException e) {
            LOG.warn("evidence pack: archive verification could not run: {}", shortReason(e));
            return Verification.notVerified("the archive could not be read; the server's log says why");
        }
    }

    private static Verification await(CompletableFuture<Verification> running, Window w) {
        try {
            return running.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Verification.notVerified("interrupted while waiting for the verification of " + w.from() + " to "
                    + w.to());
        } catch (ExecutionException e) {
            return Verification.notVerified("the archive could not be read; the server's log says why");
        }
    }

    private Oldest oldestObject() {
        Instant now = clock.instant();
        Cached<Oldest> c = oldest;
        if (c != null && c.expires().isAfter(now) && c.result().isDone()) {
            return c.result().join();
        }
        Oldest found = findOldest();
        if (found.time() != null && !cacheFor.isZero()) {
            oldest = new Cached<>(CompletableFuture.completedFuture(found), now.plus(cacheFor));
        }
        return found;
    }

    private Oldest findOldest() {
        ArchiveConfig config;
        try {
            config = new ArchiveConfig(settings);
        } catch (ConfigException e) {
            LOG.warn("evidence pack: archive settings invalid: {}", shortReason(e));
            return new Oldest(null, "the archive is not configured on this server");
        }
        try (ArchiveStore store = ArchiveStore.open(config, clock)) {
            if (!store.bucketReachable()) {
                LOG.warn("evidence pack: bucket '{}' not reachable", config.bucket());
                return new Oldest(null, "the archive could not be reached");
            }
            return scan(store).map(k -> new Oldest(k.firstTime(), null))
                    .orElse(new Oldest(null, "no archived object within " + lookbackYears + " years"));
        } catch (RuntimeException e) {
            LOG.warn("evidence pack: listing the archive failed: {}", shortReason(e));
            return new Oldest(null, "the archive could not be listed; the server's log says why");
        }
    }

    /**
     * The oldest object: keys sort by time under raw/yyyy/MM/, so the first key of the oldest non-empty month is the
     * oldest object. ArchiveStore lists whole prefixes, hence one listing per month probed.
     */
    private Optional<ObjectKey> scan(ArchiveStore store) {
        YearMonth now = YearMonth.from(clock.instant().atZone(ZoneOffset.UTC));
        for (YearMonth m = now.minusYears(lookbackYears); !m.isAfter(now); m = m.plusMonths(1)) {
            String prefix = String.format(Locale.ROOT, "%s%04d/%02d/", ObjectKey.PREFIX, m.getYear(),
                    m.getMonthValue());
            List<String> keys = store.list(prefix, null);
            for (String key : keys) {
                Optional<ObjectKey> parsed = ObjectKey.parse(key);
                if (parsed.isPresent()) {
                    return parsed;
                }
            }
        }
        return Optional.empty();
    }

    /** An exception's message, one line and short: for the log. */
    static String shortReason(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        m = m.replaceAll("[\\r\\n\\t]+", " ").strip();
        return m.length() > MAX_REASON_CHARS ? m.substring(0, MAX_REASON_CHARS) + "..." : m;
    }
}
