package io.auditrail.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class ObjectContentTest {
    private static final long BUDGET = 1 << 20;

    private static byte[] gzip(byte[] content) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(content);
        }
        return out.toByteArray();
    }

    @Test
    void aGzipBombStopsAtTheBudgetInsteadOfFillingTheHeap() throws Exception {
        byte[] bomb = RawLineIT.bomb(64 << 20); // 64 MiB of zeros in about 64 KiB
        assertThat(bomb.length).isLessThan(1 << 17);

        assertThatThrownBy(() -> ObjectContent.gunzip(bomb, BUDGET)).isInstanceOf(ObjectContent.TooLarge.class)
                .hasMessageContaining("more than " + BUDGET + " bytes");
        assertThatThrownBy(() -> ObjectContent.lines(bomb, BUDGET)).isInstanceOf(ObjectContent.TooLarge.class);
        assertThatThrownBy(() -> ObjectContent.line(bomb, 0, BUDGET)).isInstanceOf(ObjectContent.TooLarge.class);
        assertThatThrownBy(() -> ObjectContent.contentSha256(bomb, BUDGET)).isInstanceOf(ObjectContent.TooLarge.class);
    }

    @Test
    void oneLineIsReadWithoutTheRestOfTheObject() throws Exception {
        // the wanted line first, then far more than the budget: reading stops at its newline
        byte[] content = new byte[(int) BUDGET * 4];
        byte[] first = "{\"n\":0,\"\u00e9\":1}\n".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(first, 0, content, 0, first.length);
        content[content.length - 1] = '\n';
        byte[] gz = gzip(content);

        assertThat(ObjectContent.line(gz, 0, BUDGET)).hasValue(new String(first, StandardCharsets.UTF_8).strip()
                .getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> ObjectContent.line(gz, 1, BUDGET)).isInstanceOf(ObjectContent.TooLarge.class);
    }

    @Test
    void linesAreByteExactAndCounted() throws Exception {
        byte[] gz = gzip("a\n\nb\u00ff\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(ObjectContent.lines(gz, BUDGET)).containsExactly("a".getBytes(StandardCharsets.ISO_8859_1),
                new byte[0], "b\u00ff".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(ObjectContent.line(gz, 2, BUDGET)).hasValue("b\u00ff".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(ObjectContent.line(gz, 3, BUDGET)).isEmpty();
        assertThatThrownBy(() -> ObjectContent.lines(gzip("no newline".getBytes(StandardCharsets.US_ASCII)), BUDGET))
                .hasMessageContaining("does not end with a newline");
    }
}
