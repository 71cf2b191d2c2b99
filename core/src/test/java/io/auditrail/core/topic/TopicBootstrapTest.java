package io.auditrail.core.topic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicBootstrapTest {
    @Test
    void thePipelineTopicsAreSizedAndTheDirectoryIsCompacted() {
        Topics t = new Topics("r", "e", "a", "d", "t", 6, (short) 3);
        List<TopicBootstrap.Spec> specs = TopicBootstrap.pipeline(t, 2_000_000);
        assertThat(specs).extracting(TopicBootstrap.Spec::name).containsExactly("r", "e", "a", "d", "t");
        assertThat(specs.subList(0, 4)).allSatisfy(s -> {
            assertThat(s.partitions()).isEqualTo(6);
            assertThat(s.replicationFactor()).isEqualTo((short) 3);
            assertThat(s.configs()).isEqualTo(Map.of("max.message.bytes", "2000000"));
        });
        TopicBootstrap.Spec tenants = specs.get(4);
        assertThat(tenants.partitions()).isEqualTo(1);
        assertThat(tenants.configs()).isEqualTo(Map.of("cleanup.policy", "compact"));
    }
}
