package io.auditrail.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObjectKeyTest {
    @Test
    void namesTimePartitionAndOffsetsAndParsesBack() {
        ObjectKey k = new ObjectKey(Instant.parse("2026-11-28T16:05:01.002Z"), Instant.parse("2026-11-28T16:09:00Z"),
                3, 1234, 1300);
        assertThat(k.key()).isEqualTo("raw/2026/11/28/16/20261128T160501002Z-20261128T160900000Z-p0003-"
                + "00000000000000001234-00000000000000001300.ndjson.gz");
        assertThat(ObjectKey.parse(k.key())).contains(k);
        assertThat(k.contains(3, 1234)).isTrue();
        assertThat(k.contains(3, 1301)).isFalse();
        assertThat(k.contains(2, 1250)).isFalse();
    }

    @Test
    void keysSortByTime() {
        List<String> keys = new ArrayList<>();
        keys.add(new ObjectKey(Instant.parse("2026-11-28T23:59:59.999Z"), Instant.parse("2026-11-29T00:00:01Z"), 0, 9, 9)
                .key());
        keys.add(new ObjectKey(Instant.parse("2026-11-29T00:00:00Z"), Instant.parse("2026-11-29T00:00:00Z"), 0, 10, 10)
                .key());
        keys.add(new ObjectKey(Instant.parse("2026-11-28T09:00:00Z"), Instant.parse("2026-11-28T09:00:00Z"), 5, 1, 1)
                .key());
        assertThat(keys.stream().sorted().toList()).containsExactly(keys.get(2), keys.get(0), keys.get(1));
    }

    @Test
    void foreignKeysAreNotObjects() {
        assertThat(ObjectKey.parse("raw/2026/11/28/16/readme.txt")).isEmpty();
        assertThat(ObjectKey.parse("digests/2026/11/28/16/x.json")).isEmpty();
    }
}
