package io.auditrail.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditrail.core.event.RawPosition;
import io.auditrail.embedded.EmbeddedKafka;
import io.auditrail.embedded.EmbeddedPostgres;
import io.auditrail.embedded.EmbeddedS3;
import io.auditrail.embedded.junit.EmbeddedServicesExtension;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;

/**
 * Raw-line reads (issue 17, items 2 and 8) against the real bucket: they list only up to their bound however many keys
 * follow, serve only bytes a signed digest vouches for, and stop decompressing at what the archiver can have written.
 */
@ExtendWith(EmbeddedServicesExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RawLineIT {
    /** Keys per listing page in these tests, so a few hundred keys make many pages. */
    private static final int PAGE = 10;
    private static final int FILLER_KEYS = 300;

    @TempDir
    Path temp;

    /** Counts the listing requests that reach S3. */
    private static final class ListingCounter implements ExecutionInterceptor {
        final AtomicInteger listings = new AtomicInteger();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof ListObjectsV2Request) {
                listings.incrementAndGet();
            }
        }
    }

    private static ArchiveStore countingStore(ArchiveTestbed bed, ListingCounter counter) {
        ArchiveConfig config = bed.config(Map.of());
        return new ArchiveStore(ArchiveStore.client(config).overrideConfiguration(o -> o
                .apiCallTimeout(Duration.ofMinutes(2)).addExecutionInterceptor(counter)).build(), config,
                Clock.systemUTC(), PAGE);
    }

    @Test
    void aRawLineReadListsOnlyUpToItsBound(EmbeddedKafka kafka, EmbeddedS3 s3, EmbeddedPostgres pg) throws Exception {
        try (ArchiveTestbed bed = new ArchiveTestbed(kafka, s3, pg, temp)) {
            bed.archiveInTwoRounds();
            int objects = bed.objectHashes(bed.bucket).size();
            int digests = bed.digestKeys().size();
            // many keys after the read's bound: objects of later hours, and later digests
            Instant later = Instant.now().plus(Duration.ofHours(6)).truncatedTo(ChronoUnit.MILLIS);
            for (int i = 0; i < FILLER_KEYS; i++) {
                Instant t = later.plusSeconds(i);
                bed.overwrite(new ObjectKey(t, t, 0, 1_000_000L + i, 1_000_000L + i).key(), new byte[] {1});
            }
            var first = bed.sent.get(0).firstEntry();

            ListingCounter counter = new ListingCounter();
            try (ArchiveStore store = countingStore(bed, counter); ArchiveReader reader = bed.reader(store)) {
                RawLookup found = reader.rawLine(new RawPosition(0, first.getKey()), Instant.now());
                assertThat(found).isInstanceOfSatisfying(RawLookup.Found.class,
                        f -> assertThat(f.line()).isEqualTo(first.getValue()));
                // at most: the pages up to the object, then the pages of digests up to the one listing it
                int bound = objects / PAGE + 1 + digests * 2 / PAGE + 1;
                assertThat(counter.listings.get()).isLessThanOrEqualTo(bound).isLessThan(FILLER_KEYS / PAGE);

                // a position no object holds: the listing still stops at the bound, past which the fillers lie
                counter.listings.set(0);
                assertThat(reader.rawLine(new RawPosition(2, 999_999_999L), Instant.now()))
                        .isInstanceOf(RawLookup.Absent.class);
                assertThat(counter.listings.get()).isLessThanOrEqualTo(objects / PAGE + 2);
            }
        }
    }

    @Test
    void anAlteredOrReplacedObjectIsRefusedNotServed(EmbeddedKafka kafka, EmbeddedS3 s3, EmbeddedPostgres pg)
            throws Exception {
        try (ArchiveTestbed bed = new ArchiveTestbed(kafka, s3, pg, temp)) {
            bed.archiveInTwoRounds();
            var line = bed.sent.get(1).firstEntry();
            RawPosition position = new RawPosition(1, line.getKey());
            String objectKey;
            try (ArchiveStore store = bed.store(); ArchiveReader reader = bed.reader(store)) {
                RawLookup found = reader.rawLine(position, Instant.now());
                assertThat(found).isInstanceOf(RawLookup.Found.class);
                objectKey = ((RawLookup.Found) found).objectKey();
            }
            byte[] original;
            try (ArchiveStore store = bed.store()) {
                original = store.get(objectKey).orElseThrow();
            }
            List<byte[]> lines = new ArrayList<>(ObjectContent.lines(original, 1 << 20));
            lines.set(0, "{\"forged\":true}".getBytes(StandardCharsets.UTF_8));
            bed.overwrite(objectKey, ArchiveTestbed.gzip(lines));
            try (ArchiveStore store = bed.store(); ArchiveReader reader = bed.reader(store)) {
                assertThat(reader.rawLine(position, Instant.now())).isInstanceOfSatisfying(RawLookup.Refused.class,
                        r -> assertThat(r.objectKey()).isEqualTo(objectKey));
            }

            // a gzip bomb at the object's key: refused before a byte of it is decompressed
            bed.overwrite(objectKey, bomb(64 << 20));
            try (ArchiveStore store = bed.store(); ArchiveReader reader = bed.reader(store)) {
                assertThat(reader.rawLine(position, Instant.now())).isInstanceOf(RawLookup.Refused.class);
            }
        }
    }

    @Test
    void aBombListedByASignedDigestIsStoppedAtTheBound(EmbeddedKafka kafka, EmbeddedS3 s3, EmbeddedPostgres pg)
            throws Exception {
        try (ArchiveTestbed bed = new ArchiveTestbed(kafka, s3, pg, temp)) {
            bed.archiveInTwoRounds();
            // whoever holds the chain's private key can list any object: the reader still stops decompressing at
            // what the archiver can have written (16 KiB objects here, plus one record of up to 1 MiB)
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            ObjectKey key = new ObjectKey(now, now, 0, 5_000_000, 5_000_009);
            byte[] bomb = bomb(256 << 20);
            bed.overwrite(key.key(), bomb);
            try (ArchiveStore store = bed.store()) {
                String newest = bed.digestKeys().get(bed.digestKeys().size() - 1);
                DigestChain chain = DigestChain.resume(bed.topic, store.digest(newest).orElseThrow());
                DigestEntry entry = new DigestEntry(key.key(), Hashes.sha256Hex(bomb), "0".repeat(64), bomb.length,
                        10, 0, key.firstOffset(), key.lastOffset(), now, now);
                SignedDigest forged = chain.seal(List.of(entry), Instant.now().plusSeconds(1),
                        ArchiveKeys.readPrivateKey(bed.privateKey));
                bed.overwrite(Digest.signatureKey(forged.key()), (Base64.getEncoder().encodeToString(forged.signature())
                        + "\n").getBytes(StandardCharsets.US_ASCII));
                bed.overwrite(forged.key(), forged.body());
            }
            try (ArchiveStore store = bed.store(); ArchiveReader reader = bed.reader(store)) {
                assertThat(reader.rawLine(new RawPosition(0, 5_000_005), now)).isInstanceOfSatisfying(
                        RawLookup.Refused.class, r -> assertThat(r.why()).contains("decompresses to more than"));
            }
        }
    }

    /** {@code bytes} of zeros without a newline, gzipped: a few hundred kilobytes. */
    static byte[] bomb(int bytes) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] zeros = new byte[1 << 20];
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            for (int i = 0; i < bytes; i += zeros.length) {
                gz.write(zeros, 0, Math.min(zeros.length, bytes - i));
            }
        }
        return out.toByteArray();
    }
}
