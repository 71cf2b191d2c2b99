package io.auditrail.reports.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditrail.archive.Problem;
import io.auditrail.archive.VerifyReport;
import io.auditrail.core.config.Settings;
import io.auditrail.reports.evidence.EvidenceFacts.Verification;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import io.auditrail.core.testing.MovingClock;
import org.junit.jupiter.api.Test;

/** Issue 17, item 1: the verification a pack states is bounded to a window, and reused once that window is over. */
class ArchiveEvidenceTest {
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private static final Duration MAX_VERIFY = Duration.ofDays(92);

    private final MovingClock clock = new MovingClock(NOW);
    private final List<Instant[]> calls = new CopyOnWriteArrayList<>();

    private ArchiveEvidence archive(BiFunction<Instant, Instant, VerifyReport> verifier) {
        return new ArchiveEvidence(Settings.of(Map.of()), 10, clock, MAX_VERIFY, Duration.ofMinutes(60), (f, t) -> {
            calls.add(new Instant[] {f, t});
            return verifier.apply(f, t);
        });
    }

    private static VerifyReport intact(Instant from, Instant to) {
        return new VerifyReport(from, to, 24, 100, 10_000, "digests/2026/11/01/23/x.json", List.of());
    }

    @Test
    void aWindowThatIsOverIsVerifiedOnceForEveryPackAndFormat() {
        ArchiveEvidence a = archive(ArchiveEvidenceTest::intact);
        Instant from = Instant.parse("2026-11-01T00:00:00Z");
        Instant to = Instant.parse("2026-11-02T00:00:00Z");
        Verification first = a.verify(from, to);
        Verification second = a.verify(from, to);
        assertThat(calls).hasSize(1);
        assertThat(second).isEqualTo(first);
        assertThat(first.intact()).isTrue();
        assertThat(first.coversFrom(from)).isTrue();
        // an hour past its keep time it is verified again: a tampering after the first check is not hidden for long
        clock.set(NOW.plus(Duration.ofMinutes(61)));
        a.verify(from, to);
        assertThat(calls).hasSize(2);
    }

    @Test
    void aYearsPackVerifiesItsLastDaysOnlyAndSaysSo() {
        ArchiveEvidence a = archive(ArchiveEvidenceTest::intact);
        Instant to = Instant.parse("2026-11-01T00:00:00Z");
        Instant from = to.minus(Duration.ofDays(366));
        Verification v = a.verify(from, to);
        assertThat(calls).singleElement().satisfies(c -> {
            assertThat(c[0]).isEqualTo(to.minus(MAX_VERIFY));
            assertThat(c[1]).isEqualTo(to);
        });
        assertThat(v.verifiedFrom()).isEqualTo(to.minus(MAX_VERIFY));
        assertThat(v.coversFrom(from)).isFalse();
    }

    @Test
    void aWindowNotOverYetIsVerifiedEachTimeAndAFailureIsNotKept() {
        ArchiveEvidence a = archive(ArchiveEvidenceTest::intact);
        Instant to = NOW.minus(Duration.ofHours(1)); // digests may still list its objects
        a.verify(to.minus(Duration.ofDays(1)), to);
        a.verify(to.minus(Duration.ofDays(1)), to);
        assertThat(calls).hasSize(2);

        calls.clear();
        Instant from = Instant.parse("2026-10-01T00:00:00Z");
        ArchiveEvidence failing = archive((f, t) -> {
            throw new IllegalStateException("S3 said: AccessDenied on bucket secret-bucket-name");
        });
        Verification v = failing.verify(from, from.plus(Duration.ofDays(1)));
        assertThat(v.verified()).isFalse();
        assertThat(v.reason()).doesNotContain("secret-bucket-name").doesNotContain("AccessDenied");
        failing.verify(from, from.plus(Duration.ofDays(1)));
        assertThat(calls).hasSize(2);
    }

    @Test
    void problemsAreStatedByKindAndKeyWithoutTheirDetail() {
        ArchiveEvidence a = archive((f, t) -> new VerifyReport(f, t, 3, 9, 900, null, List.of(new Problem(
                Problem.Kind.ALTERED_OBJECT, "raw/2026/10/01/09/x.ndjson.gz", "SHA-256 is abc, digests/... says def"))));
        Verification v = a.verify(Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-10-02T00:00:00Z"));
        assertThat(v.problems()).containsExactly("ALTERED_OBJECT raw/2026/10/01/09/x.ndjson.gz");
    }

    @Test
    void packsAskingForAWindowBeingVerifiedWaitForThatVerification() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ArchiveEvidence a = archive((f, t) -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return intact(f, t);
        });
        Instant from = Instant.parse("2026-11-01T00:00:00Z");
        Instant to = Instant.parse("2026-11-02T00:00:00Z");
        List<CompletableFuture<Verification>> packs = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 4; i++) {
            packs.add(CompletableFuture.supplyAsync(() -> a.verify(from, to)));
        }
        // the first is verifying; the others wait for it or, coming later, find its result kept
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> calls.size() == 1);
        release.countDown();
        for (CompletableFuture<Verification> p : packs) {
            assertThat(p.get(10, TimeUnit.SECONDS).intact()).isTrue();
        }
        assertThat(calls).hasSize(1);
    }
}
