package io.auditrail.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the shared corpus of real Vault audit lines ({@code ../shared/vault-audit-samples} beside the
 * checkout; override with {@code -Dauditrail.samples.dir=...}). The corpus is not ours to copy into
 * the project, so tests that need it are skipped, with a message, where it is absent.
 */
public final class VaultSamples {
    public static final String PROPERTY = "auditrail.samples.dir";

    private VaultSamples() {
    }

    public static Optional<Path> locate() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path p = Paths.get(configured);
            return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolveSibling("shared").resolve("vault-audit-samples");
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The corpus directory, or the calling test is skipped with the reason. */
    public static Path require() {
        Optional<Path> dir = locate();
        Assumptions.assumeTrue(dir.isPresent(),
                "SKIPPED: Vault audit sample corpus not found (expected ../shared/vault-audit-samples beside the "
                        + "checkout, or -D" + PROPERTY + "=DIR)");
        return dir.get();
    }

    /** Every audit line of the corpus's line-oriented files (*.log, *.ndjson), as bytes without the newline. */
    public static List<Line> lines(Path corpus) throws IOException {
        List<Line> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(corpus)) {
            for (Path f : files.filter(VaultSamples::isLineFile).sorted().toList()) {
                int n = 0;
                for (String s : Files.readAllLines(f)) {
                    n++;
                    if (!s.isBlank()) {
                        out.add(new Line(corpus.relativize(f).toString(), n, s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                    }
                }
            }
        }
        return out;
    }

    private static boolean isLineFile(Path p) {
        String name = p.getFileName().toString();
        return Files.isRegularFile(p) && (name.endsWith(".log") || name.endsWith(".ndjson"));
    }

    /** One line of a sample file. */
    public record Line(String file, int number, byte[] bytes) {
        @Override
        public String toString() {
            return file + ":" + number;
        }
    }
}
