package io.auditrail.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/CONFIG.md is what the definitions say; a new or changed key without the page fails here. */
class ConfigReferenceTest {
    private static final Path PAGE = Path.of("..", "docs", "CONFIG.md");

    @Test
    void theReferencePageMatchesTheDefinitions() throws Exception {
        String generated = ConfigReference.markdown(KnownSettings.DEFINITIONS);
        if (Boolean.getBoolean("auditrail.docs.write")) {
            Files.writeString(PAGE, generated);
        }
        assertThat(PAGE).as("docs/CONFIG.md (regenerate: -Dauditrail.docs.write=true)").exists();
        assertThat(Files.readString(PAGE)).as("docs/CONFIG.md is stale; regenerate it with -Dauditrail.docs.write=true")
                .isEqualTo(generated);
    }
}
