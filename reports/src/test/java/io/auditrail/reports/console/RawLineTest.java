package io.auditrail.reports.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RawLineTest {
    @Test
    void validUtf8IsShownExactlyAndEscaped() {
        Html html = new Html();
        int invalid = new RawLine("{\"p\":\"<b>caf\u00e9 \u6f22 \ud83d\ude00</b>\"}".getBytes(StandardCharsets.UTF_8))
                .writeTo(html);
        assertThat(invalid).isZero();
        assertThat(html.toString()).isEqualTo("{&quot;p&quot;:&quot;&lt;b&gt;caf\u00e9 \u6f22 \ud83d\ude00&lt;/b&gt;"
                + "&quot;}");
    }

    @Test
    void bytesThatAreNotUtf8AreMarkedOneByOneNotReplaced() {
        byte[] line = {'a', (byte) 0xff, 'b', (byte) 0xc3, 'c', (byte) 0xe6, (byte) 0xbc};
        Html html = new Html();
        assertThat(new RawLine(line).writeTo(html)).isEqualTo(4);
        assertThat(html.toString()).isEqualTo("a<span class=\"x\">\\xFF</span>b<span class=\"x\">\\xC3</span>c"
                + "<span class=\"x\">\\xE6</span><span class=\"x\">\\xBC</span>");
    }

    @Test
    void anEmptyLineIsEmpty() {
        Html html = new Html();
        assertThat(new RawLine(new byte[0]).writeTo(html)).isZero();
        assertThat(html.toString()).isEmpty();
    }
}
