package io.auditrail.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LineFramerTest {
    record Framed(byte[] bytes, LineKind kind, long originalLength) {
        String text() {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    private final List<Framed> out = new ArrayList<>();
    private final LineFramer.LineSink sink = (buf, off, len, kind, original) ->
            out.add(new Framed(Arrays.copyOfRange(buf, off, off + len), kind, original));

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private void feed(LineFramer f, String s) {
        byte[] b = bytes(s);
        f.feed(b, 0, b.length, sink);
    }

    @Test
    void linesSplitAcrossReadsComeOutWhole() {
        LineFramer f = new LineFramer(100, 200);
        feed(f, "{\"a\":1}\n{\"b\"");
        feed(f, ":2}");
        feed(f, "\n{\"c\":3}\n");
        assertThat(out).extracting(Framed::text).containsExactly("{\"a\":1}", "{\"b\":2}", "{\"c\":3}");
        assertThat(out).extracting(Framed::kind).containsOnly(LineKind.RAW);
        assertThat(f.discardPartial()).isZero();
    }

    @Test
    void everySplitPointOfAStreamGivesTheSameLines() {
        String stream = "prefix:{\"x\":\"y\"}\n\n{\"é\":1}\r\nlast\n";
        for (int cut = 0; cut <= stream.length(); cut++) {
            out.clear();
            LineFramer f = new LineFramer(100, 200);
            feed(f, stream.substring(0, cut));
            feed(f, stream.substring(cut));
            assertThat(out).extracting(Framed::text)
                    .containsExactly("prefix:{\"x\":\"y\"}", "", "{\"é\":1}\r", "last");
        }
    }

    @Test
    void carriageReturnIsContentBecauseTheRawTopicKeepsVaultsBytes() {
        LineFramer f = new LineFramer(100, 200);
        feed(f, "{}\r\n");
        assertThat(out.get(0).text()).isEqualTo("{}\r");
    }

    @Test
    void binaryBytesPassUnchanged() {
        byte[] garbage = new byte[5000];
        new Random(7).nextBytes(garbage);
        for (int i = 0; i < garbage.length; i++) {
            if (garbage[i] == '\n') {
                garbage[i] = 0;
            }
        }
        LineFramer f = new LineFramer(10_000, 20_000);
        f.feed(garbage, 0, 1234, sink);
        f.feed(garbage, 1234, garbage.length - 1234, sink);
        f.feed(new byte[] {'\n'}, 0, 1, sink);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).bytes()).isEqualTo(garbage);
    }

    @Test
    void lineOverTheRawLimitIsOversizeAndWhole() {
        LineFramer f = new LineFramer(10, 100);
        feed(f, "0123456789\n0123456789A\n");
        assertThat(out).extracting(Framed::kind).containsExactly(LineKind.RAW, LineKind.OVERSIZE);
        assertThat(out.get(1).text()).isEqualTo("0123456789A");
        assertThat(out.get(1).originalLength()).isEqualTo(11);
    }

    @Test
    void lineOverTheHardCapKeepsItsHeadAndCountsItsLength() {
        LineFramer f = new LineFramer(10, 100);
        String big = "H".repeat(10) + "x".repeat(990);
        feed(f, big.substring(0, 37));
        feed(f, big.substring(37, 500));
        feed(f, big.substring(500) + "\nnext\n");
        assertThat(out).hasSize(2);
        assertThat(out.get(0).kind()).isEqualTo(LineKind.OVERSIZE_TRUNCATED);
        assertThat(out.get(0).text()).isEqualTo("H".repeat(10));
        assertThat(out.get(0).originalLength()).isEqualTo(1000);
        assertThat(out.get(1).text()).isEqualTo("next");
        assertThat(f.heldBytes()).isLessThanOrEqualTo(100);
    }

    @Test
    void hugeLineInOneReadIsTruncatedAndMemoryStaysBounded() {
        LineFramer f = new LineFramer(1024, 4096);
        byte[] huge = new byte[10 << 20];
        Arrays.fill(huge, (byte) 'z');
        for (int off = 0; off < huge.length; off += 65536) {
            f.feed(huge, off, 65536, sink);
            assertThat(f.heldBytes()).isLessThanOrEqualTo(4096);
        }
        f.feed(new byte[] {'\n'}, 0, 1, sink);
        assertThat(out).singleElement().satisfies(l -> {
            assertThat(l.kind()).isEqualTo(LineKind.OVERSIZE_TRUNCATED);
            assertThat(l.bytes()).hasSize(1024);
            assertThat(l.originalLength()).isEqualTo(10 << 20);
        });
    }

    @Test
    void halfLineAtCloseIsReportedAndNotDelivered() {
        LineFramer f = new LineFramer(100, 200);
        feed(f, "{\"whole\":1}\n{\"half");
        assertThat(f.discardPartial()).isEqualTo(6);
        assertThat(out).extracting(Framed::text).containsExactly("{\"whole\":1}");
        assertThat(f.discardPartial()).isZero();
    }

    @Test
    void halfOfATruncatedLineAtCloseReportsItsFullLength() {
        LineFramer f = new LineFramer(10, 20);
        feed(f, "y".repeat(50));
        assertThat(f.discardPartial()).isEqualTo(50);
        assertThat(out).isEmpty();
    }

    @Test
    void carryBufferIsGivenBackAfterALongLine() {
        LineFramer f = new LineFramer(1 << 20, 1 << 20);
        feed(f, "a".repeat(500_000));
        feed(f, "\n");
        assertThat(f.heldBytes()).isZero();
    }

    @Test
    void theBudgetHoldsWhatTheBuffersHoldAndGetsItBack() {
        PartialLineBudget budget = new PartialLineBudget(1 << 20);
        LineFramer a = new LineFramer(1 << 20, 4 << 20, budget);
        feed(a, "x".repeat(10_000));
        assertThat(budget.used()).isEqualTo(a.heldBytes()).isGreaterThanOrEqualTo(10_000);
        feed(a, "\n");
        assertThat(out).hasSize(1);
        assertThat(budget.used()).isEqualTo(a.heldBytes()); // a small buffer is kept for the next line
        feed(a, "y".repeat(200_000));
        assertThat(budget.used()).isEqualTo(a.heldBytes()).isGreaterThanOrEqualTo(200_000);
        feed(a, "\n");
        assertThat(budget.used()).as("a long line's buffer is given back after it").isZero();
        feed(a, "z".repeat(5000));
        assertThat(a.discardPartial()).isEqualTo(5000);
        assertThat(budget.used()).isZero();
    }

    @Test
    void aLineTheBudgetCannotHoldIsDroppedAndNothingMoreIsFramed() {
        PartialLineBudget budget = new PartialLineBudget(1 << 20);
        LineFramer hog = new LineFramer(1 << 20, 4 << 20, budget);
        LineFramer other = new LineFramer(1 << 20, 4 << 20, budget);
        feed(hog, "h".repeat(700_000));
        feed(other, "{\"ok\":1}\n" + "o".repeat(400_000));
        assertThat(out).extracting(Framed::text).containsExactly("{\"ok\":1}");
        assertThat(other.refusedByBudget()).isTrue();
        assertThat(hog.refusedByBudget()).isFalse();
        feed(other, "more\n");
        assertThat(out).as("a refused framer frames nothing more").hasSize(1);
        assertThat(other.discardPartial()).isEqualTo(400_000);
        assertThat(budget.used()).isEqualTo(hog.heldBytes());
    }

    @Test
    void theReliefMayMakeRoomByDroppingAnotherLine() {
        PartialLineBudget budget = new PartialLineBudget(1 << 20);
        LineFramer hog = new LineFramer(1 << 20, 4 << 20, budget);
        LineFramer vault = new LineFramer(1 << 20, 4 << 20, budget);
        List<LineFramer> asked = new ArrayList<>();
        budget.relief((requester, needed) -> {
            asked.add(requester);
            hog.discardPartial();
        });
        feed(hog, "h".repeat(900_000));
        feed(vault, "v".repeat(300_000));
        feed(vault, "\n");
        assertThat(asked).containsExactly(vault);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).bytes()).hasSize(300_000);
        assertThat(vault.refusedByBudget()).isFalse();
    }
}
