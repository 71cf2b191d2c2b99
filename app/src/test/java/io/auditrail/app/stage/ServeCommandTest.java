package io.auditrail.app.stage;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditrail.app.CliRun;
import io.auditrail.app.ExitCode;
import io.auditrail.archive.ArchiveConfig;
import io.auditrail.archive.ArchiveKeys;
import io.auditrail.reports.evidence.EvidenceConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** serve refuses, before it connects or listens, a pack key that is the archive's own digest key. */
class ServeCommandTest {
    @Test
    void theArchivesKeyAsThePackKeyStopsStartUp(@TempDir Path dir) throws Exception {
        ArchiveKeys.generate(dir.resolve("archive.key"), dir.resolve("archive.pub"));
        CliRun run = CliRun.of("serve", "--set", EvidenceConfig.SIGNING_KEY_FILE + "=" + dir.resolve("archive.key"),
                "--set", ArchiveConfig.PUBLIC_KEY_FILE + "=" + dir.resolve("archive.pub"));
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("key of their own").doesNotContain("PRIVATE KEY").doesNotContain("\tat ");
    }
}
