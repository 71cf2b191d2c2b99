package io.auditrail.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditLineReaderTest {
    @Test
    void splitsOnNewlinesKeepingBytesExact() throws IOException {
        List<AuditLineReader.Line> lines = read("a\n\nbé\r\nlast", 100);
        assertThat(lines).extracting(l -> new String(l.bytes(), StandardCharsets.UTF_8))
                .containsExactly("a", "", "bé", "last");
        assertThat(lines).extracting(AuditLineReader.Line::number).containsExactly(1L, 2L, 3L, 4L);
        assertThat(lines.get(3).terminated()).isFalse();
        assertThat(lines.get(0).terminated()).isTrue();
    }

    @Test
    void aLineOverTheBoundIsCutFlaggedAndTheNextLineIsIntact() throws IOException {
        List<AuditLineReader.Line> lines = read("x".repeat(200_000) + "\nok\n", 1000);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).bytes()).hasSize(1000);
        assertThat(lines.get(0).truncated()).isTrue();
        assertThat(lines.get(0).fullLength()).isEqualTo(200_000);
        assertThat(new String(lines.get(1).bytes(), StandardCharsets.UTF_8)).isEqualTo("ok");
        assertThat(lines.get(1).truncated()).isFalse();
    }

    @Test
    void linesSpanningReadChunksAreJoined() throws IOException {
        // a stream that hands out one byte at a time, like a slow pipe
        byte[] data = "first line\nsecond\n".getBytes(StandardCharsets.UTF_8);
        InputStream trickle = new InputStream() {
            int i;

            @Override
            public int read() {
                return i < data.length ? data[i++] : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (i >= data.length) {
                    return -1;
                }
                b[off] = data[i++];
                return 1;
            }
        };
        var reader = new AuditLineReader(trickle, 100);
        assertThat(new String(reader.next().bytes(), StandardCharsets.UTF_8)).isEqualTo("first line");
        assertThat(new String(reader.next().bytes(), StandardCharsets.UTF_8)).isEqualTo("second");
        assertThat(reader.next()).isNull();
    }

    private static List<AuditLineReader.Line> read(String s, int max) throws IOException {
        var reader = new AuditLineReader(new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)), max);
        List<AuditLineReader.Line> out = new ArrayList<>();
        for (AuditLineReader.Line l = reader.next(); l != null; l = reader.next()) {
            out.add(l);
        }
        return out;
    }
}
