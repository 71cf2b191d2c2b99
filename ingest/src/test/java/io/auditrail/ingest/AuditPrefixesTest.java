package io.auditrail.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AuditPrefixesTest {
    private static final String A = "a1b2c3d4e5f6a7b8c9d0";
    private static final String B = "Zm9vYmFyYmF6cXV4+/==";

    private static int match(AuditPrefixes p, String line) {
        byte[] b = ("xx" + line).getBytes(StandardCharsets.UTF_8);
        return p.match(b, 2, b.length - 2);
    }

    @Test
    void aLineMatchesTheEntryItStartsWith() {
        AuditPrefixes p = AuditPrefixes.parse("vault-1=" + A + ", vault-2=" + B);
        assertThat(p.names()).containsExactly("vault-1", "vault-2");
        assertThat(match(p, A + "{\"type\":\"request\"}")).isZero();
        assertThat(match(p, B + "{}")).isEqualTo(1);
        assertThat(p.entry(1).prefix()).hasSize(B.length());
        assertThat(match(p, "{\"type\":\"request\"}")).isEqualTo(-1);
        assertThat(match(p, A.substring(0, A.length() - 1) + "X{}")).isEqualTo(-1);
        assertThat(match(p, A.substring(0, 5))).as("shorter than the prefix").isEqualTo(-1);
        assertThat(match(p, "")).isEqualTo(-1);
    }

    @Test
    void aNameMayRepeatForRotation() {
        AuditPrefixes p = AuditPrefixes.parse("prod=" + A + ",prod=" + B);
        assertThat(p.names()).containsExactly("prod");
        assertThat(p.entry(match(p, B + "{}")).name()).isEqualTo("prod");
    }

    @Test
    void emptyChecksNothing() {
        assertThat(AuditPrefixes.parse("").isEmpty()).isTrue();
        assertThat(AuditPrefixes.parse(null).isEmpty()).isTrue();
    }

    @Test
    void badEntriesAreNamedWithoutTheirValue() {
        assertThatThrownBy(() -> AuditPrefixes.parse("n=tooShort")).hasMessageContaining("entry 1 (n)")
                .hasMessageContaining("16-256").hasMessageNotContaining("tooShort");
        assertThatThrownBy(() -> AuditPrefixes.parse("a=" + A + ",b=" + A + "{x")).hasMessageContaining("entry 2 (b)")
                .hasMessageNotContaining(A);
        assertThatThrownBy(() -> AuditPrefixes.parse("a=" + A + ",b=" + A + "more")).hasMessageContaining("entry 2 (b)")
                .hasMessageContaining("begins another entry's (a)").hasMessageNotContaining(A);
        assertThatThrownBy(() -> AuditPrefixes.parse("a=" + A + " spaced")).hasMessageContaining("printable ASCII");
        assertThatThrownBy(() -> AuditPrefixes.parse(A)).hasMessageContaining("not name=prefix")
                .hasMessageNotContaining(A);
        assertThatThrownBy(() -> AuditPrefixes.parse("bad name=" + A)).hasMessageContaining("a name is");
        assertThatThrownBy(() -> AuditPrefixes.parse("a=" + A + ",")).hasMessageContaining("entry 2");
    }
}
