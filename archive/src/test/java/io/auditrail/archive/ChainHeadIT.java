package io.auditrail.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.auditrail.embedded.EmbeddedKafka;
import io.auditrail.embedded.EmbeddedPostgres;
import io.auditrail.embedded.EmbeddedS3;
import io.auditrail.embedded.junit.EmbeddedServicesExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chain head kept outside the bucket (issue 17, item 6), from outside: bytes deleted or rewritten in the real
 * bucket, rows refused by the real table, and what verify and a restarted archiver make of it.
 */
@ExtendWith(EmbeddedServicesExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ChainHeadIT {
    private static final Instant EVER = Instant.EPOCH;
    private static final Instant NEVER = Instant.parse("2100-01-01T00:00:00Z");

    @TempDir
    Path temp;

    @Test
    void deletingTheNewestDigestsAndTheirSignaturesIsDetected(EmbeddedKafka kafka, EmbeddedS3 s3, EmbeddedPostgres pg)
            throws Exception {
        try (ArchiveTestbed bed = new ArchiveTestbed(kafka, s3, pg, temp)) {
            bed.archiveInTwoRounds();
            assertThat(bed.verify().problems()).isEmpty();
            List<String> digests = bed.digestKeys();
            String newest = digests.get(digests.size() - 1);
            // the newest digests, back to one that lists objects (the last ones may be heartbeats)
            List<String> deleted = new ArrayList<>();
            List<String> listedByThem = new ArrayList<>();
            for (int i = digests.size() - 1; deleted.size() < 2 || listedByThem.isEmpty(); i--) {
                deleted.add(0, digests.get(i));
                listedByThem.addAll(bed.listedBy(digests.get(i)));
            }
            String oldestDeleted = deleted.get(0);

            // what remains is a consistent, signed chain: only the head outside the bucket shows it is short
            for (String k : deleted) {
                bed.delete(k);
                bed.delete(Digest.signatureKey(k));
            }
            VerifyReport all = bed.verifyWithoutMargin(EVER, NEVER);
            assertThat(all.intact()).isFalse();
            assertThat(all.problems()).extracting(Problem::kind, Problem::key)
                    .contains(tuple(Problem.Kind.TRUNCATED_CHAIN, newest));
            // each deleted digest was recorded when it was written
            assertThat(all.problems()).filteredOn(p -> p.kind() == Problem.Kind.BROKEN_CHAIN).extracting(Problem::key)
                    .containsExactlyInAnyOrderElementsOf(deleted);
            // the objects only they listed are now listed by nothing, though the head says digests came after them
            assertThat(all.problems()).filteredOn(p -> p.kind() == Problem.Kind.UNLISTED_OBJECT)
                    .extracting(Problem::key).containsExactlyInAnyOrderElementsOf(listedByThem);

            // a period holding only the deleted digests has nothing left in it: not intact
            VerifyReport recent = bed.verify(Digest.createdOf(oldestDeleted).orElseThrow(), NEVER);
            assertThat(recent.digests()).isZero();
            assertThat(recent.intact()).isFalse();
            assertThat(recent.problems()).extracting(Problem::kind)
                    .contains(Problem.Kind.NO_DIGEST, Problem.Kind.TRUNCATED_CHAIN);

            // and any other period says so too: the chain no longer reaches its head
            Instant firstCreated = Digest.createdOf(digests.get(0)).orElseThrow();
            assertThat(bed.verify(firstCreated, firstCreated.plusMillis(1)).problems()).extracting(Problem::kind)
                    .contains(Problem.Kind.TRUNCATED_CHAIN);
        }
    }

    @Test
    void aPeriodWithNoDigestIsNotIntact(EmbeddedKafka kafka, EmbeddedS3 s3, EmbeddedPostgres pg) throws Exception {
        try (ArchiveTestbed bed = new ArchiveTestbed(kafka, s3, pg, temp)) {
            bed.archiveInTwoRounds();
            VerifyReport before = bed.verify(Instant.parse("2001-01-01T00:00:00Z"), Instant.parse("2001-01-02T00:00:00Z"));
            assertThat(before.digests()).isZero();
            assertThat(before.intact()).isFalse();
            assertThat(before.problems()).extracting(Problem::kind).containsExactly(Problem.Kind.NO_DIGEST);
        }
    }

    @Test
    void theFirstDigestAfterAPeriodMustLinkToItsLastOne(EmbeddedKafka kafka, EmbeddedS3 s3, EmbeddedPostgres pg)
            throws Exception {
        try (ArchiveTestbed bed = new ArchiveTestbed(kafka, s3, pg, temp)) {
            bed.archiveInTwoRounds();
            List<String> digests = bed.digestKeys();
            assertThat(digests).hasSizeGreaterThanOrEqualTo(3);
            Instant from = Digest.createdOf(digests.get(0)).orElseThrow();
            Instant to = Digest.createdOf(digests.get(2)).orElseThrow();
            assertThat(bed.verify(from, to).problems()).isEmpty();

            // the period's last digest deleted: within the period the rest is a consistent chain
            List<String> listedBy1 = bed.listedBy(digests.get(1)).stream().filter(k -> {
                Instant first = ObjectKey.parse(k).orElseThrow().firstTime();
                return !first.isBefore(from) && first.isBefore(to);
            }).toList();
            bed.delete(digests.get(1));
            bed.delete(Digest.signatureKey(digests.get(1)));
            VerifyReport r = bed.verifyWithoutMargin(from, to);
            assertThat(r.digests()).isEqualTo(1);
            assertThat(r.problems()).filteredOn(p -> p.kind() != Problem.Kind.UNLISTED_OBJECT)
                    .extracting(Problem::kind, Problem::key).containsExactlyInAnyOrder(
                            tuple(Problem.Kind.BROKEN_CHAIN, digests.get(2)), // the next digest names the deleted one
                            tuple(Problem.Kind.BROKEN_CHAIN, digests.get(1))); // recorded when written, now missing
            assertThat(r.problems()).filteredOn(p -> p.key().equals(digests.get(2))).singleElement()
                    .extracting(Problem::detail).asString().contains("names " + digests.get(1));
            assertThat(r.problems()).filteredOn(p -> p.kind() == Problem.Kind.UNLISTED_OBJECT).extracting(Problem::key)
                    .containsExactlyInAnyOrderElementsOf(listedBy1);
        }
    }

    @Test
    void aHeadOlderThanTheDigestIntervalIsReported(EmbeddedKafka kafka, EmbeddedS3 s3, EmbeddedPostgres pg)
            throws Exception {
        try (ArchiveTestbed bed = new ArchiveTestbed(kafka, s3, pg, temp)) {
            bed.archiveInTwoRounds();
            try (ArchiveStore store = bed.store()) {
                // the testbed's digest interval is the default hour: due within 65 minutes
                Clock soon = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(60));
                assertThat(bed.verifier(store, soon, ArchiveVerifier.CLOCK_MARGIN).verify(EVER, NEVER).problems())
                        .isEmpty();
                Clock later = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(70));
                assertThat(bed.verifier(store, later, ArchiveVerifier.CLOCK_MARGIN).verify(EVER, NEVER).problems())
                        .extracting(Problem::kind).containsExactly(Problem.Kind.CHAIN_HEAD);
            }
        }
    }

    @Test
    void withoutARecordedHeadVerifySaysSo(EmbeddedKafka kafka, EmbeddedS3 s3, EmbeddedPostgres pg) throws Exception {
        try (ArchiveTestbed bed = new ArchiveTestbed(kafka, s3, pg, temp)) {
            bed.archiveInTwoRounds();
            // only the table's owner can do this, and only by switching its guard off
            bed.sql("ALTER TABLE archive_chain_head DISABLE TRIGGER USER");
            bed.sql("DELETE FROM archive_chain_head");
            bed.sql("ALTER TABLE archive_chain_head ENABLE TRIGGER USER");
            assertThat(bed.verify().problems()).extracting(Problem::kind, Problem::key)
                    .containsExactly(tuple(Problem.Kind.CHAIN_HEAD, "archive_chain_head"));
        }
    }

    @Test
    void theChainHeadTableOnlyMovesForward(EmbeddedKafka kafka, EmbeddedS3 s3, EmbeddedPostgres pg) throws Exception {
        try (ArchiveTestbed bed = new ArchiveTestbed(kafka, s3, pg, temp)) {
            bed.archiveInTwoRounds();
            ChainHead head = bed.heads().latest().orElseThrow();
            assertThat(head.digestKey()).isEqualTo(bed.digestKeys().get(bed.digestKeys().size() - 1));

            assertThatThrownBy(() -> bed.sql("DELETE FROM archive_chain_head WHERE sequence = " + head.sequence()))
                    .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
            assertThatThrownBy(() -> bed.sql("UPDATE archive_chain_head SET sequence = 0"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
            assertThatThrownBy(() -> bed.sql("TRUNCATE archive_chain_head"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
            assertThatThrownBy(() -> bed.sql("INSERT INTO archive_chain_head (bucket, sequence, digest_key, sha256, "
                    + "created) VALUES ('" + bed.bucket + "', 1, 'digests/x.json', '" + "0".repeat(64) + "', now())"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("only moves forward");

            // the store refuses to record an older digest as the head, and recording the head again changes nothing
            try (ArchiveStore store = bed.store()) {
                SignedDigest first = store.digest(bed.digestKeys().get(0)).orElseThrow();
                assertThatThrownBy(() -> bed.heads().record(first)).isInstanceOf(ChainHeadStore.Conflict.class);
                bed.heads().record(store.digest(head.digestKey()).orElseThrow());
            }
            assertThat(bed.heads().latest()).contains(head);
        }
    }

    @Test
    void anArchiverDoesNotResumeOnATruncatedChain(EmbeddedKafka kafka, EmbeddedS3 s3, EmbeddedPostgres pg)
            throws Exception {
        try (ArchiveTestbed bed = new ArchiveTestbed(kafka, s3, pg, temp)) {
            bed.archiveInTwoRounds();
            List<String> digests = bed.digestKeys();
            String newest = digests.get(digests.size() - 1);
            byte[] body;
            byte[] signature;
            try (ArchiveStore store = bed.store()) {
                body = store.get(newest).orElseThrow();
                signature = store.get(Digest.signatureKey(newest)).orElseThrow();
            }
            bed.delete(newest);
            bed.delete(Digest.signatureKey(newest));

            ArchiveStage stage = ArchiveStage.start(bed.config(Map.of()), new SimpleMeterRegistry(), Clock.systemUTC());
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> stage.failure().isPresent());
                assertThat(stage.isReady()).isFalse();
                assertThat(stage.notReadyReason()).contains("stopped").contains("truncated chain")
                        .contains(newest);
            } finally {
                stage.close();
            }
            assertThat(bed.digestKeys()).as("nothing built on the truncated chain")
                    .containsExactlyElementsOf(digests.subList(0, digests.size() - 1));

            // the digest restored (e.g. from its object version): the archiver resumes and the chain is whole again
            bed.overwrite(Digest.signatureKey(newest), signature);
            bed.overwrite(newest, body);
            ArchiveStage again = ArchiveStage.start(bed.config(Map.of()), new SimpleMeterRegistry(), Clock.systemUTC());
            await().atMost(Duration.ofSeconds(60)).until(again::isReady);
            again.close();
            assertThat(again.failure()).isEmpty();
            assertThat(bed.verify().problems()).isEmpty();
        }
    }

    @Test
    void aChainRewrittenWithTheSigningKeyStillDiffersFromItsRecordedHashes(EmbeddedKafka kafka, EmbeddedS3 s3,
                                                                            EmbeddedPostgres pg) throws Exception {
        try (ArchiveTestbed bed = new ArchiveTestbed(kafka, s3, pg, temp)) {
            bed.archiveInTwoRounds();
            List<String> keys = bed.digestKeys();
            PrivateKey stolen = ArchiveKeys.readPrivateKey(bed.privateKey);
            List<String> rewritten = new ArrayList<>();
            String hidden;
            try (ArchiveStore store = bed.store()) {
                // the first digest after the first one that lists objects: one of them is hidden
                int victim = 1;
                while (bed.listedBy(keys.get(victim)).isEmpty()) {
                    victim++;
                }
                DigestChain chain = DigestChain.resume(bed.topic, store.digest(keys.get(victim - 1)).orElseThrow());
                hidden = bed.listedBy(keys.get(victim)).get(0);
                // every digest from the victim on sealed again with the real key: same keys, valid signatures and
                // links, one object fewer in the victim (its lines hidden), its object deleted
                for (int i = victim; i < keys.size(); i++) {
                    Digest d = Digest.parse(store.digest(keys.get(i)).orElseThrow().body());
                    List<DigestEntry> objects = new ArrayList<>(d.objects());
                    if (i == victim) {
                        objects.remove(0);
                    }
                    SignedDigest forged = chain.seal(objects, d.created(), stolen);
                    assertThat(forged.key()).isEqualTo(keys.get(i));
                    chain.advance(forged);
                    bed.overwrite(Digest.signatureKey(forged.key()), (Base64.getEncoder()
                            .encodeToString(forged.signature()) + "\n").getBytes(StandardCharsets.US_ASCII));
                    bed.overwrite(forged.key(), forged.body());
                    rewritten.add(forged.key());
                }
            }
            bed.delete(hidden);

            VerifyReport r = bed.verify();
            assertThat(r.problems()).extracting(Problem::kind).doesNotContain(Problem.Kind.BAD_SIGNATURE);
            assertThat(r.problems()).filteredOn(p -> p.kind() == Problem.Kind.BROKEN_CHAIN).extracting(Problem::key)
                    .containsExactlyInAnyOrderElementsOf(rewritten);
            assertThat(r.problems()).extracting(Problem::kind, Problem::key)
                    .contains(tuple(Problem.Kind.TRUNCATED_CHAIN, keys.get(keys.size() - 1)));
        }
    }
}
