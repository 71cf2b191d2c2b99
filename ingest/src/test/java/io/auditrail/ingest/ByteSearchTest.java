package io.auditrail.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteSearchTest {
    private static int naive(byte[] b, int from, int end, byte x, byte y) {
        for (int i = from; i < end; i++) {
            if (b[i] == x || b[i] == y) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void findsTheFirstMatchLikeAPlainLoopAtEveryOffsetAndLength() {
        Random r = new Random(11);
        for (int round = 0; round < 2000; round++) {
            byte[] b = new byte[r.nextInt(64)];
            for (int i = 0; i < b.length; i++) {
                // few distinct values, so matches, near-misses (0x09, 0x0b) and high bytes all occur
                b[i] = (byte) new int[] {'\n', '"', '\\', 0x09, 0x0b, 0x80, 0xff, 'a', 0}[r.nextInt(9)];
            }
            int from = b.length == 0 ? 0 : r.nextInt(b.length);
            int end = from + (b.length == from ? 0 : r.nextInt(b.length - from + 1));
            assertThat(ByteSearch.indexOf(b, from, end, (byte) '\n')).isEqualTo(naive(b, from, end, (byte) '\n', (byte) '\n'));
            assertThat(ByteSearch.indexOf(b, from, end, (byte) 0xff)).isEqualTo(naive(b, from, end, (byte) 0xff, (byte) 0xff));
            assertThat(ByteSearch.indexOfEither(b, from, end, (byte) '"', (byte) '\\'))
                    .isEqualTo(naive(b, from, end, (byte) '"', (byte) '\\'));
        }
    }
}
