package io.auditrail.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditrailCommandTest {
    @Test
    void noCommandIsAUsageErrorInOneLine() {
        CliRun run = CliRun.of();
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err().strip()).doesNotContain("\n").contains("a command is required");
    }

    @Test
    void anUnknownOptionNamesItselfInOneLine() {
        CliRun run = CliRun.of("inspect", "--bogus");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err().strip()).isEqualTo("auditrail: Unknown option: '--bogus' (see 'auditrail inspect --help')");
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"dev", "inspect", "import"}) {
            CliRun run = CliRun.of(command, "--help");
            assertThat(run.exitCode()).as(command).isZero();
            assertThat(run.out()).as(command).contains("Usage: auditrail " + command);
        }
        assertThat(CliRun.of("--help").out()).contains("dev", "inspect", "import");
    }

    @Test
    void importOfAFileThatIsNotThereFailsNamingIt(@TempDir Path dir) {
        Path missing = dir.resolve("audit-vault-9.log");
        CliRun run = CliRun.of("import", missing.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(run.err()).contains("cannot read " + missing);
    }

    @Test
    void aMisspeltSettingStopsTheCommandAndIsNamed(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("a.properties");
        Files.writeString(config, "topic.partitons=3\n");
        CliRun run = CliRun.of("inspect", "--config", config.toString(), dir.resolve("none.log").toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("topic.partitons").contains("AUDITRAIL_TOPIC_PARTITONS");
    }

    @Test
    void aBadSettingValueIsAConfigurationError(@TempDir Path dir) throws Exception {
        Path log = Files.writeString(dir.resolve("a.log"), "");
        CliRun run = CliRun.of("inspect", "--set", "audit.max.line.bytes=12", log.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).startsWith("auditrail: configuration:").contains("audit.max.line.bytes");
    }
}
