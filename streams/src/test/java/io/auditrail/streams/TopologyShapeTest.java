package io.auditrail.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.auditrail.core.config.Settings;
import io.auditrail.streams.rules.RuleBook;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins the topology's shape: node, store and internal topic names carry changelog state and consumer offsets, so a
 * change here must be deliberate. Regenerate with {@code -Dgolden.update=true} and review the diff.
 */
class TopologyShapeTest {
    private static final String GOLDEN = "topology.txt";

    @TempDir
    Path state;

    @Test
    void describeMatchesTheGoldenShape() throws IOException {
        StreamsStageConfig config = new StreamsStageConfig(Settings.of(Map.of()));
        String actual = AuditTopology.build(config, RuleBook.defaults()).describe().toString();
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(Path.of("src/test/resources/io/auditrail/streams", GOLDEN), actual);
        }
        try (InputStream in = getClass().getResourceAsStream(GOLDEN)) {
            assertThat(in).as("golden file " + GOLDEN).isNotNull();
            assertThat(actual).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void theShapeDoesNotDependOnWhichRulesAreEnabled() {
        StreamsStageConfig config = new StreamsStageConfig(Settings.of(Map.of()));
        RuleBook fewer = RuleBook.of(Map.of("rules.read_rate_spike.enabled", "false",
                "rules.new_source_address.enabled", "false"));
        assertThat(AuditTopology.build(config, fewer).describe().toString())
                .isEqualTo(AuditTopology.build(config, RuleBook.defaults()).describe().toString());
    }

    @Test
    void everyInternalTopicAndStoreIsNamedExplicitly() {
        StreamsStageConfig config = new StreamsStageConfig(Settings.of(Map.of(StreamsStageConfig.STATE_DIR,
                state.toString())));
        Properties props = config.streamsProperties();
        assertThat(props).containsEntry("ensure.explicit.internal.resource.naming", true)
                .containsEntry("processing.guarantee", "exactly_once_v2");
        // the driver builds the topology with the setting on: an unnamed store or topic would throw here
        assertThatCode(() -> new TopologyTestDriver(AuditTopology.build(config, RuleBook.defaults()), props).close())
                .doesNotThrowAnyException();
    }
}
