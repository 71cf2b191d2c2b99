package io.auditrail.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObjectBatcherTest {
    private static final Instant T0 = Instant.parse("2026-11-28T16:59:59.500Z");

    private static byte[] line(int i) {
        return ("{\"type\":\"request\",\"request\":{\"id\":\"r-" + String.format("%05d", i) + "\"},\"note\":\"caf\u00e9 \\u0000\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static List<ArchiveObject> feed(ObjectBatcher b, int n, long firstOffset) {
        List<ArchiveObject> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.addAll(b.add(firstOffset + i, T0.plusMillis(i), line(i), T0));
        }
        b.flush().ifPresent(out::add);
        return out;
    }

    @Test
    void linesComeBackByteExactWithNewlines() {
        ObjectBatcher b = new ObjectBatcher(2, 1 << 20, Duration.ofMinutes(5));
        byte[] odd = {'{', (byte) 0xff, (byte) 0xfe, '"', '}'}; // not UTF-8: kept as it came
        b.add(7, T0, odd, T0);
        b.add(8, T0.plusSeconds(1), line(1), T0);
        ArchiveObject o = b.flush().orElseThrow();

        assertThat(ObjectContent.lines(o.body(), 1 << 20)).containsExactly(odd, line(1));
        assertThat(o.key()).isEqualTo(new ObjectKey(T0, T0.plusSeconds(1), 2, 7, 8));
        assertThat(o.entry().lines()).isEqualTo(2);
        assertThat(o.entry().sha256()).isEqualTo(Hashes.sha256Hex(o.body()));
        assertThat(o.entry().contentSha256()).isEqualTo(ObjectContent.contentSha256(o.body(), 1 << 20));
        assertThat(b.isEmpty()).isTrue();
    }

    @Test
    void cutsBeforeTheLineThatWouldPassMaxBytes() {
        int lineBytes = line(0).length + 1;
        ObjectBatcher b = new ObjectBatcher(0, lineBytes * 10L, Duration.ofHours(1));
        List<ArchiveObject> objects = feed(b, 25, 100);

        assertThat(objects).extracting(o -> o.key().firstOffset() + "-" + o.key().lastOffset())
                .containsExactly("100-109", "110-119", "120-124");
        assertThat(objects).extracting(ArchiveObject::lines).containsExactly(10, 10, 5);
    }

    @Test
    void aLineAloneOverMaxBytesIsAnObjectOfItsOwn() {
        ObjectBatcher b = new ObjectBatcher(0, 10, Duration.ofHours(1));
        List<ArchiveObject> objects = b.add(0, T0, line(0), T0);
        assertThat(objects).hasSize(1);
        assertThat(objects.get(0).lines()).isEqualTo(1);
        assertThat(b.isEmpty()).isTrue();
    }

    @Test
    void cutsByRecordTimeNotByWhenTheLinesArrive() {
        ObjectBatcher b = new ObjectBatcher(0, 1 << 20, Duration.ofMinutes(5));
        assertThat(b.add(0, T0, line(0), T0)).isEmpty();
        assertThat(b.add(1, T0.plus(Duration.ofMinutes(4)), line(1), T0)).isEmpty();
        List<ArchiveObject> cut = b.add(2, T0.plus(Duration.ofMinutes(5)), line(2), T0);
        assertThat(cut).singleElement().satisfies(o -> assertThat(o.key().lastOffset()).isEqualTo(1));
        assertThat(b.bufferedLines()).isEqualTo(1);
    }

    @Test
    void aQuietPartitionIsFlushedAfterMaxAgeOfWallClock() {
        ObjectBatcher b = new ObjectBatcher(0, 1 << 20, Duration.ofSeconds(30));
        Instant opened = Instant.parse("2026-11-28T17:00:00Z");
        b.add(0, T0, line(0), opened);
        assertThat(b.flushIfOlderThan(opened.plusSeconds(29))).isEmpty();
        assertThat(b.flushIfOlderThan(opened.plusSeconds(30))).isPresent();
        assertThat(b.flushIfOlderThan(opened.plusSeconds(90))).isEmpty();
    }

    @Test
    void theSameRecordsGiveTheSameKeysAndBytes() {
        int lineBytes = line(0).length + 1;
        List<ArchiveObject> first = feed(new ObjectBatcher(1, lineBytes * 7L, Duration.ofHours(1)), 30, 0);
        List<ArchiveObject> second = feed(new ObjectBatcher(1, lineBytes * 7L, Duration.ofHours(1)), 30, 0);
        assertThat(second).hasSameSizeAs(first);
        for (int i = 0; i < first.size(); i++) {
            assertThat(second.get(i).key()).isEqualTo(first.get(i).key());
            assertThat(second.get(i).body()).isEqualTo(first.get(i).body());
        }
    }

    @Test
    void refusesOffsetsThatGoBackwards() {
        ObjectBatcher b = new ObjectBatcher(0, 1 << 20, Duration.ofHours(1));
        b.add(5, T0, line(0), T0);
        assertThatThrownBy(() -> b.add(5, T0, line(1), T0)).isInstanceOf(IllegalArgumentException.class);
    }
}
