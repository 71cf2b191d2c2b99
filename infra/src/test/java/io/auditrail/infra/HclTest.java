package io.auditrail.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class HclTest {
    @Test
    void readsAttributesBlocksLabelsListsAndComments() {
        Hcl.Block root = Hcl.parse("""
                # comment
                ui = true  // trailing
                /* block
                   comment */
                storage "raft" {
                  path = "/vault/file"
                  performance_multiplier = 1
                  retry_join { leader_api_addr = "http://a:8200" }
                  retry_join {
                    leader_api_addr = "http://b:8200"
                  }
                }
                path "secret/data/x/*" { capabilities = ["read", "list",] }
                """);
        assertThat(root.attributes()).containsEntry("ui", true);
        Hcl.Block raft = root.block("storage").orElseThrow();
        assertThat(raft.label()).isEqualTo("raft");
        assertThat(raft.attributes()).containsEntry("performance_multiplier", 1L);
        assertThat(raft.blocks("retry_join")).extracting(b -> b.string("leader_api_addr").orElseThrow())
                .containsExactly("http://a:8200", "http://b:8200");
        assertThat(root.block("path").orElseThrow().attributes().get("capabilities")).isEqualTo(List.of("read", "list"));
    }

    @Test
    void rejectsWhatItDoesNotUnderstand() {
        assertThatThrownBy(() -> Hcl.parse("storage \"raft\" {\n  path = \"/x\"\n")).hasMessageContaining("never closed");
        assertThatThrownBy(() -> Hcl.parse("a = 1\n}\n")).hasMessageContaining("unexpected '}'");
        assertThatThrownBy(() -> Hcl.parse("a = \"open\nb = 2")).hasMessageContaining("line 1: unterminated string");
        assertThatThrownBy(() -> Hcl.parse("a = 1\na = 2")).hasMessageContaining("line 2: duplicate attribute 'a'");
        assertThatThrownBy(() -> Hcl.parse("a = var.x")).hasMessageContaining("unsupported expression");
        assertThatThrownBy(() -> Hcl.parse("a =")).hasMessageContaining("missing value");
        assertThatThrownBy(() -> Hcl.parse("listener \"tcp\" address = 1")).hasMessageContaining("expected '=' or '{'");
    }
}
