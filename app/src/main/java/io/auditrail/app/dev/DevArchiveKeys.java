package io.auditrail.app.dev;

import io.auditrail.archive.ArchiveKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The archive signing key pair of a dev stack: made once in the data directory and reused, so a dev archive kept with
 * {@code --data-dir} still verifies after a restart. Production keys come from {@code auditrail archive keygen}.
 */
record DevArchiveKeys(Path privateKey, Path publicKey) {
    static DevArchiveKeys in(Path dataDir) {
        Path dir = dataDir.resolve("archive-keys");
        DevArchiveKeys keys = new DevArchiveKeys(dir.resolve("signing-key.pem"), dir.resolve("public-key.pem"));
        try {
            if (!Files.exists(keys.privateKey())) {
                Files.createDirectories(dir);
                Files.deleteIfExists(keys.publicKey()); // half a pair from an interrupted start: make both anew
                ArchiveKeys.generate(keys.privateKey(), keys.publicKey());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("making the dev archive keys in " + dir, e);
        }
        return keys;
    }
}
