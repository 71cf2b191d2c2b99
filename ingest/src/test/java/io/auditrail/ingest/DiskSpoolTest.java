package io.auditrail.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class DiskSpoolTest {
    private static final byte[] SOURCE = "10.0.0.1:5000".getBytes(StandardCharsets.UTF_8);
    private static final byte[] LISTENER = "tcp://127.0.0.1:9090".getBytes(StandardCharsets.UTF_8);
    private static final int REUSE = 4;

    @TempDir
    Path dir;

    private DiskSpool open(long maxBytes, int segmentBytes, SpoolFullPolicy policy) throws IOException {
        return DiskSpool.open(dir, maxBytes, segmentBytes, 1 << 20, policy, SpoolFsyncPolicy.NEVER, REUSE);
    }

    private static SpoolWriteBatch batch(String... lines) {
        SpoolWriteBatch b = new SpoolWriteBatch();
        long t = 1_700_000_000_000_000L;
        for (String l : lines) {
            byte[] bytes = l.getBytes(StandardCharsets.UTF_8);
            b.add(LineKind.RAW, t++, bytes.length, SOURCE, LISTENER, null, bytes, 0, bytes.length);
        }
        return b;
    }

    private static List<String> lines(SpoolBatch b) {
        List<String> out = new ArrayList<>();
        b.records().forEach(r -> out.add(new String(r.line(), StandardCharsets.UTF_8)));
        return out;
    }

    private static List<String> numbered(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add("{\"n\":" + i + ",\"pad\":\"" + "p".repeat(100) + "\"}");
        }
        return out;
    }

    private List<Path> segmentFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".segment")).sorted().toList();
        }
    }

    private List<Path> recycledFiles(Path in) throws IOException {
        try (Stream<Path> s = Files.list(in)) {
            return s.filter(p -> p.toString().endsWith(".recycled")).sorted().toList();
        }
    }

    /** The spool directory as a killed process leaves it: the files as they are now, without close(). */
    private Path crashCopy() throws IOException {
        Path copy = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-crashed"));
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> !p.getFileName().toString().equals(".lock")).toList()) {
                Files.copy(p, copy.resolve(p.getFileName()));
            }
        }
        return copy;
    }

    @Test
    void appendedLinesAreReadInOrderWithTheirMetadata() throws IOException {
        try (DiskSpool spool = open(1 << 20, 1 << 20, SpoolFullPolicy.BLOCK)) {
            SpoolWriteBatch b = batch("a", "bb");
            b.add(LineKind.OVERSIZE_TRUNCATED, 42, 99_999, SOURCE, LISTENER, "k".getBytes(StandardCharsets.UTF_8),
                    "head".getBytes(StandardCharsets.UTF_8), 0, 4);
            assertThat(spool.append(b)).isTrue();
            SpoolBatch read = spool.read(1 << 20, 100, Duration.ZERO);
            assertThat(lines(read)).containsExactly("a", "bb", "head");
            SpoolRecord last = read.records().get(2);
            assertThat(last.kind()).isEqualTo(LineKind.OVERSIZE_TRUNCATED);
            assertThat(last.receivedAtMicros()).isEqualTo(42);
            assertThat(last.originalLength()).isEqualTo(99_999);
            assertThat(last.source()).isEqualTo(SOURCE);
            assertThat(last.listener()).isEqualTo(LISTENER);
            assertThat(last.key()).isEqualTo("k".getBytes(StandardCharsets.UTF_8));
            assertThat(read.records().get(0).key()).isNull();
            assertThat(read.endPosition()).isEqualTo(spool.usedBytes());
            assertThat(spool.read(1 << 20, 100, Duration.ofMillis(10)).isEmpty()).isTrue();
            spool.release(read.endPosition());
            assertThat(spool.isEmpty()).isTrue();
        }
    }

    @Test
    void readStopsAtTheRecordLimitAndContinuesThere() throws IOException {
        try (DiskSpool spool = open(1 << 20, 1 << 20, SpoolFullPolicy.BLOCK)) {
            spool.append(batch(numbered(0, 10).toArray(String[]::new)));
            SpoolBatch first = spool.read(1 << 20, 4, Duration.ZERO);
            SpoolBatch rest = spool.read(1 << 20, 100, Duration.ZERO);
            assertThat(lines(first)).containsExactlyElementsOf(numbered(0, 4));
            assertThat(lines(rest)).containsExactlyElementsOf(numbered(4, 10));
            assertThat(rest.startPosition()).isEqualTo(first.endPosition());
        }
    }

    @Test
    void segmentsRollAndReleasedOnesAreKeptForReuseOrDeleted() throws IOException {
        try (DiskSpool spool = open(1 << 20, 64 << 10, SpoolFullPolicy.BLOCK)) {
            List<String> all = numbered(0, 2000);
            for (int i = 0; i < all.size(); i += 100) {
                spool.append(batch(all.subList(i, i + 100).toArray(String[]::new)));
            }
            assertThat(segmentFiles().size()).isGreaterThan(3);
            List<String> seen = new ArrayList<>();
            for (SpoolBatch b = spool.read(32 << 10, 1000, Duration.ZERO); !b.isEmpty();
                 b = spool.read(32 << 10, 1000, Duration.ZERO)) {
                seen.addAll(lines(b));
                spool.release(b.endPosition());
            }
            assertThat(seen).containsExactlyElementsOf(all);
            assertThat(segmentFiles()).hasSize(1);
            assertThat(recycledFiles(dir)).hasSize(REUSE);
            assertThat(spool.usedBytes()).isZero();
        }
    }

    @Test
    void withoutReuseReleasedSegmentsAreDeleted() throws IOException {
        try (DiskSpool spool = DiskSpool.open(dir, 1 << 20, 8 << 10, 1 << 20, SpoolFullPolicy.BLOCK,
                SpoolFsyncPolicy.NEVER, 0)) {
            List<String> all = numbered(0, 300);
            for (int i = 0; i < all.size(); i += 10) {
                spool.append(batch(all.subList(i, i + 10).toArray(String[]::new)));
            }
            assertThat(segmentFiles().size()).isGreaterThan(3);
            spool.release(spool.read(1 << 20, 10_000, Duration.ZERO).endPosition());
            assertThat(segmentFiles()).hasSize(1);
            assertThat(recycledFiles(dir)).isEmpty();
        }
    }

    @Test
    void aReusedSegmentFilesEarlierContentNeverReadsAsRecordsAfterACrash() throws IOException {
        // every record the same length, so the old records line up right after the new ones
        List<String> old = numbered(1000, 3000);
        try (DiskSpool spool = open(1 << 20, 64 << 10, SpoolFullPolicy.BLOCK)) {
            for (int i = 0; i < old.size(); i += 100) {
                spool.append(batch(old.subList(i, i + 100).toArray(String[]::new)));
            }
            for (SpoolBatch b = spool.read(1 << 20, 10_000, Duration.ZERO); !b.isEmpty();
                 b = spool.read(1 << 20, 10_000, Duration.ZERO)) {
                spool.release(b.endPosition());
            }
            List<Path> reusable = recycledFiles(dir);
            assertThat(reusable).isNotEmpty();
            // written into a reused file, shorter than what it held: its old records follow the new ones
            List<String> fresh = numbered(5000, 5200);
            for (int i = 0; i < fresh.size(); i += 40) {
                spool.append(batch(fresh.subList(i, i + 40).toArray(String[]::new)));
            }
            Path newest = segmentFiles().get(segmentFiles().size() - 1);
            assertThat(Files.size(newest)).isGreaterThan(spool.usedBytes() + 10_000);
            Path crashed = crashCopy();
            try (DiskSpool after = DiskSpool.open(crashed, 1 << 20, 64 << 10, 1 << 20, SpoolFullPolicy.BLOCK,
                    SpoolFsyncPolicy.NEVER, REUSE)) {
                List<String> seen = new ArrayList<>();
                for (SpoolBatch b = after.read(1 << 20, 10_000, Duration.ZERO); !b.isEmpty();
                     b = after.read(1 << 20, 10_000, Duration.ZERO)) {
                    seen.addAll(lines(b));
                }
                assertThat(seen).containsExactlyElementsOf(fresh);
                assertThat(after.corruptRegions()).isZero();
            }
        }
    }

    @Test
    void segmentsOfTheEarlierFormatAreReadAfterAnUpgradeAndNotReused() throws IOException {
        // the format before positions were in the checksum: crc32c(body) alone, files named <position>.spool
        SpoolWriteBatch b = batch("written", "by the", "previous version");
        java.nio.ByteBuffer data = b.encoded();
        Files.write(dir.resolve(String.format("%020d.spool", 0)), java.util.Arrays.copyOfRange(data.array(), 0,
                data.limit()));
        try (DiskSpool spool = open(1 << 20, 64 << 10, SpoolFullPolicy.BLOCK)) {
            SpoolBatch read = spool.read(1 << 20, 10, Duration.ZERO);
            assertThat(lines(read)).containsExactly("written", "by the", "previous version");
            spool.append(batch("new"));
            SpoolBatch next = spool.read(1 << 20, 10, Duration.ZERO);
            assertThat(lines(next)).containsExactly("new");
            spool.release(next.endPosition());
            assertThat(Files.exists(dir.resolve(String.format("%020d.spool", 0)))).isFalse();
            assertThat(recycledFiles(dir)).isEmpty();
            assertThat(spool.corruptRegions()).isZero();
        }
    }

    @Test
    void aRestartReusesTheKeptFilesAndLeavesNoTailBehindAfterACleanClose() throws IOException {
        try (DiskSpool spool = open(1 << 20, 8 << 10, SpoolFullPolicy.BLOCK)) {
            List<String> all = numbered(0, 300);
            for (int i = 0; i < all.size(); i += 10) {
                spool.append(batch(all.subList(i, i + 10).toArray(String[]::new)));
            }
            spool.release(spool.read(1 << 20, 10_000, Duration.ZERO).endPosition());
            spool.append(batch("short"));
        }
        int kept = recycledFiles(dir).size();
        assertThat(kept).isPositive();
        Path active = segmentFiles().get(segmentFiles().size() - 1);
        // the clean close cut the reused file to what this life wrote: one record
        assertThat(Files.size(active)).isLessThan(100);
        try (DiskSpool spool = open(1 << 20, 8 << 10, SpoolFullPolicy.BLOCK)) {
            assertThat(lines(spool.read(1 << 20, 10, Duration.ZERO))).containsExactly("short");
            for (int i = 0; i < 200; i++) {
                spool.append(batch(numbered(i, i + 1).get(0)));
            }
            assertThat(recycledFiles(dir)).hasSizeLessThan(kept);
            assertThat(lines(spool.read(1 << 20, 10_000, Duration.ZERO))).containsExactlyElementsOf(numbered(0, 200));
        }
    }

    @Test
    void rejectPolicyRefusesWhatDoesNotFitAndAcceptsAgainAfterRelease() throws IOException {
        try (DiskSpool spool = open(4096, 64 << 10, SpoolFullPolicy.REJECT)) {
            String line = "x".repeat(1000);
            int accepted = 0;
            while (spool.append(batch(line))) {
                accepted++;
            }
            assertThat(accepted).isEqualTo(3); // 1,064 bytes a record with its metadata
            assertThat(spool.fullEpisodes()).isEqualTo(1);
            SpoolBatch b = spool.read(1 << 20, 1, Duration.ZERO);
            spool.release(b.endPosition());
            assertThat(spool.append(batch(line))).isTrue();
        }
    }

    @Test
    void blockPolicyWaitsForSpaceThenWrites() throws Exception {
        try (DiskSpool spool = open(4096, 64 << 10, SpoolFullPolicy.BLOCK)) {
            String line = "x".repeat(1000);
            for (int i = 0; i < 3; i++) {
                assertThat(spool.append(batch(line))).isTrue();
            }
            CompletableFuture<Boolean> blocked = CompletableFuture.supplyAsync(() -> {
                try {
                    return spool.append(batch(line));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(200);
            assertThat(blocked).isNotDone();
            assertThat(spool.isBlocked()).isTrue();
            spool.release(spool.read(1 << 20, 1, Duration.ZERO).endPosition());
            assertThat(blocked.get(5, TimeUnit.SECONDS)).isTrue();
            assertThat(spool.isBlocked()).isFalse();
        }
    }

    @Test
    void aBlockedWriterWritesPastTheBoundWhenTheStageStops() throws Exception {
        try (DiskSpool spool = open(2048, 64 << 10, SpoolFullPolicy.BLOCK)) {
            spool.append(batch("x".repeat(1500)));
            CompletableFuture<Boolean> blocked = CompletableFuture.supplyAsync(() -> {
                try {
                    return spool.append(batch("y".repeat(1500)));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(100);
            spool.releaseBlockedWriters();
            assertThat(blocked.get(5, TimeUnit.SECONDS)).isTrue();
            assertThat(spool.read(1 << 20, 10, Duration.ZERO).size()).isEqualTo(2);
        }
    }

    @Test
    void restartResumesAfterTheLastReleasedPosition() throws IOException {
        List<String> all = numbered(0, 300);
        try (DiskSpool spool = open(1 << 20, 8 << 10, SpoolFullPolicy.BLOCK)) {
            for (int i = 0; i < all.size(); i += 10) {
                spool.append(batch(all.subList(i, i + 10).toArray(String[]::new)));
            }
            SpoolBatch first = spool.read(1 << 20, 120, Duration.ZERO);
            spool.release(first.endPosition());
            spool.read(1 << 20, 50, Duration.ZERO); // read but never acknowledged: must come back
        }
        try (DiskSpool spool = open(1 << 20, 8 << 10, SpoolFullPolicy.BLOCK)) {
            List<String> seen = new ArrayList<>();
            for (SpoolBatch b = spool.read(1 << 20, 1000, Duration.ZERO); !b.isEmpty();
                 b = spool.read(1 << 20, 1000, Duration.ZERO)) {
                seen.addAll(lines(b));
            }
            assertThat(seen).containsExactlyElementsOf(all.subList(120, 300));
            spool.append(batch("after restart"));
            assertThat(lines(spool.read(1 << 20, 10, Duration.ZERO))).containsExactly("after restart");
        }
    }

    @Test
    void tornLastRecordAfterACrashIsCutAndTheRestSurvives() throws IOException {
        try (DiskSpool spool = open(1 << 20, 1 << 20, SpoolFullPolicy.BLOCK)) {
            spool.append(batch("one", "two", "three"));
        }
        Path last = segmentFiles().get(segmentFiles().size() - 1);
        long size = Files.size(last);
        try (FileChannel ch = FileChannel.open(last, StandardOpenOption.WRITE)) {
            ch.truncate(size - 2); // the process died in the middle of writing "three"
        }
        try (DiskSpool spool = open(1 << 20, 1 << 20, SpoolFullPolicy.BLOCK)) {
            assertThat(lines(spool.read(1 << 20, 10, Duration.ZERO))).containsExactly("one", "two");
            spool.append(batch("four"));
            assertThat(lines(spool.read(1 << 20, 10, Duration.ZERO))).containsExactly("four");
        }
    }

    @Test
    void garbageAfterTheLastRecordIsCut() throws IOException {
        try (DiskSpool spool = open(1 << 20, 1 << 20, SpoolFullPolicy.BLOCK)) {
            spool.append(batch("kept"));
        }
        Path last = segmentFiles().get(segmentFiles().size() - 1);
        Files.write(last, new byte[] {0, 0, 0, 40, 1, 2, 3, 4, 5, 6, 7}, StandardOpenOption.APPEND);
        try (DiskSpool spool = open(1 << 20, 1 << 20, SpoolFullPolicy.BLOCK)) {
            assertThat(lines(spool.read(1 << 20, 10, Duration.ZERO))).containsExactly("kept");
            assertThat(spool.corruptRegions()).isZero();
        }
    }

    @Test
    void theOldestUnreleasedRecordGivesTheSpoolsAge() throws IOException {
        try (DiskSpool spool = open(1 << 20, 64 << 10, SpoolFullPolicy.BLOCK)) {
            assertThat(spool.oldestReceivedAtMicros()).isZero();
            SpoolWriteBatch b = new SpoolWriteBatch();
            byte[] line = "x".repeat(30_000).getBytes(StandardCharsets.UTF_8);
            for (long t : new long[] {100, 200, 300, 400}) {
                b.add(LineKind.RAW, t, line.length, SOURCE, LISTENER, null, line, 0, line.length);
                spool.append(b); // 30 KB records in 64 KiB segments: the oldest moves across segment files
                b.clear();
            }
            assertThat(spool.oldestReceivedAtMicros()).isEqualTo(100);
            spool.release(spool.read(1 << 20, 1, Duration.ZERO).endPosition());
            assertThat(spool.oldestReceivedAtMicros()).isEqualTo(200);
            spool.release(spool.read(1 << 20, 2, Duration.ZERO).endPosition());
            assertThat(spool.oldestReceivedAtMicros()).isEqualTo(400);
            spool.release(spool.read(1 << 20, 1, Duration.ZERO).endPosition());
            assertThat(spool.oldestReceivedAtMicros()).isZero();
        }
    }

    @Test
    void rewindReadsTheUnreleasedRecordsAgain() throws IOException {
        try (DiskSpool spool = open(1 << 20, 1 << 20, SpoolFullPolicy.BLOCK)) {
            spool.append(batch("a", "b", "c"));
            SpoolBatch first = spool.read(1 << 20, 1, Duration.ZERO);
            spool.release(first.endPosition());
            spool.read(1 << 20, 10, Duration.ZERO);
            spool.rewind();
            assertThat(lines(spool.read(1 << 20, 10, Duration.ZERO))).containsExactly("b", "c");
        }
    }

    @Test
    void rewindToReadsAgainFromARecordNeverHandedToKafka() throws IOException {
        try (DiskSpool spool = open(1 << 20, 1 << 20, SpoolFullPolicy.BLOCK)) {
            spool.append(batch("a", "b", "c"));
            SpoolBatch first = spool.read(1 << 20, 1, Duration.ZERO);
            spool.release(first.endPosition());
            SpoolBatch rest = spool.read(1 << 20, 10, Duration.ZERO);
            assertThat(lines(rest)).containsExactly("b", "c");
            spool.rewindTo(rest.records().get(1).position());
            assertThat(lines(spool.read(1 << 20, 10, Duration.ZERO))).containsExactly("c");
            assertThatThrownBy(() -> spool.rewindTo(0)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aRecordLargerThanTheReadBufferIsRead() throws IOException {
        try (DiskSpool spool = DiskSpool.open(dir, 64 << 20, 1 << 20, 8 << 20, SpoolFullPolicy.BLOCK,
                SpoolFsyncPolicy.ALWAYS, REUSE)) {
            String big = "b".repeat(3 << 20);
            spool.append(batch("small", big, "after"));
            List<String> seen = new ArrayList<>();
            for (SpoolBatch b = spool.read(1 << 20, 1000, Duration.ZERO); !b.isEmpty();
                 b = spool.read(1 << 20, 1000, Duration.ZERO)) {
                seen.addAll(lines(b));
            }
            assertThat(seen).containsExactly("small", big, "after");
        }
    }

    @Test
    void aSecondProcessCannotOpenTheSameDirectory() throws IOException {
        try (DiskSpool spool = open(1 << 20, 1 << 20, SpoolFullPolicy.BLOCK)) {
            assertThat(spool.directory()).isEqualTo(dir);
            assertThatThrownBy(() -> open(1 << 20, 1 << 20, SpoolFullPolicy.BLOCK))
                    .isInstanceOf(IOException.class).hasMessageContaining("in use");
        }
    }
}
