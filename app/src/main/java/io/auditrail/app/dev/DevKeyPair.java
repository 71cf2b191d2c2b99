package io.auditrail.app.dev;

import io.auditrail.archive.ArchiveKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A key pair of a dev stack, made once in a folder of the data directory and reused, so a dev archive (and the packs)
 * kept with {@code --data-dir} still verify after a restart: the archive's digest key in {@code archive-keys/}, the
 * evidence pack key in {@code evidence-keys/}. Production keys come from {@code auditrail archive keygen} and
 * {@code auditrail report keygen}.
 */
record DevKeyPair(Path privateKey, Path publicKey) {
    static DevKeyPair in(Path dataDir, String folder) {
        Path dir = dataDir.resolve(folder);
        DevKeyPair keys = new DevKeyPair(dir.resolve("signing-key.pem"), dir.resolve("public-key.pem"));
        try {
            if (!Files.exists(keys.privateKey())) {
                Files.createDirectories(dir);
                Files.deleteIfExists(keys.publicKey()); // half a pair from an interrupted start: make both anew
                ArchiveKeys.generate(keys.privateKey(), keys.publicKey());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("making the dev keys in " + dir, e);
        }
        return keys;
    }
}
