package io.auditrail.streams.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditrail.core.anomaly.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RulesConfigTest {
    @TempDir
    Path dir;

    @Test
    void theShippedFileSetsEveryKeyToItsDefinedDefault() {
        RulesConfig shipped = RulesConfig.defaults();
        assertThat(new TreeMap<>(shipped.originalsStrings()).keySet())
                .isEqualTo(new TreeMap<>(RulesConfig.DEFINITION.defaultValues()).keySet());
        RulesConfig definitionDefaults = new RulesConfig(Map.of());
        assertThat(shipped.values()).isEqualTo(definitionDefaults.values());
    }

    @Test
    void everyRuleHasTheDesignsDefaultSeverityAndIsOn() {
        RulesConfig c = RulesConfig.defaults();
        assertThat(c.severity(RuleName.CROSS_TENANT_ACCESS)).isEqualTo(Severity.CRITICAL);
        assertThat(c.severity(RuleName.NEW_SOURCE_ADDRESS)).isEqualTo(Severity.LOW);
        assertThat(RuleName.values()).hasSize(15).allSatisfy(r -> assertThat(c.enabled(r)).isTrue());
    }

    @Test
    void aRulesFileOverridesWhatItNamesAndKeepsTheRest() throws IOException {
        Path f = dir.resolve("rules.properties");
        Files.writeString(f, "rules.permission_denied_burst.threshold=3\nrules.root_token_use.severity=critical\n"
                + "rules.off_hours_access.enabled=false\n");
        RuleBook book = RuleBook.load(f);
        assertThat(book.config().getInt(RulesConfig.DENIED_THRESHOLD)).isEqualTo(3);
        assertThat(book.severity(RuleName.ROOT_TOKEN_USE)).isEqualTo(Severity.CRITICAL);
        assertThat(book.enabled(RuleName.OFF_HOURS_ACCESS)).isFalse();
        assertThat(book.mergeWindow(RuleName.AUDIT_GAP)).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void aMisspeltKeyIsRefusedByName() {
        assertThatThrownBy(() -> new RulesConfig(Map.of("rules.permision_denied_burst.threshold", "3")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("rules.permision_denied_burst.threshold");
    }

    @Test
    void anUnknownSeverityIsRefused() {
        assertThatThrownBy(() -> new RulesConfig(Map.of("rules.audit_gap.severity", "urgent")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("rules.audit_gap.severity");
    }

    @Test
    void everyRuleAndThresholdIsDocumented() throws IOException {
        Path doc = Path.of("../docs/ANOMALIES.md");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(doc), "docs/ANOMALIES.md beside the module");
        String text = Files.readString(doc);
        for (RuleName r : RuleName.values()) {
            assertThat(text).contains("`" + r.wire() + "`");
        }
        for (String key : RulesConfig.DEFINITION.names()) {
            if (!key.endsWith(".enabled") && !key.endsWith(".severity") && !key.endsWith(".merge.window.seconds")) {
                assertThat(text).as("docs/ANOMALIES.md names " + key).contains("`" + key + "`");
            }
        }
    }
}
