package io.auditrail.reports.console;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * An archived line as a page shows it: the UTF-8 text exactly, escaped, and any byte that is not part of valid UTF-8
 * marked as {@code \xNN} in a highlighted span, so the page neither hides nor invents a byte (the download link
 * gives the bytes themselves).
 */
final class RawLine {
    private final byte[] bytes;

    RawLine(byte[] bytes) {
        this.bytes = bytes.clone();
    }

    /** Writes the line into {@code html}; returns how many bytes were not UTF-8. */
    int writeTo(Html html) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer text = CharBuffer.allocate(bytes.length + 1);
        int invalid = 0;
        while (true) {
            CoderResult r = decoder.decode(in, text, true);
            if (r.isError()) {
                flush(text, html);
                for (int i = 0; i < r.length(); i++) {
                    html.element("span", String.format("\\x%02X", in.get() & 0xff), "class", "x");
                    invalid++;
                }
            } else {
                decoder.flush(text);
                flush(text, html);
                return invalid;
            }
        }
    }

    private static void flush(CharBuffer text, Html html) {
        text.flip();
        html.text(text.toString());
        text.clear();
    }
}
