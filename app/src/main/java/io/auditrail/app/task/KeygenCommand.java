package io.auditrail.app.task;

import io.auditrail.archive.ArchiveConfig;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code auditrail archive keygen}: a new Ed25519 key pair for signing archive digests. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = {"Write a new Ed25519 key pair (PEM, as openssl genpkey writes) for signing archive digests. "
                + "Refuses to overwrite a file. Give the private key to the archiver only (never to serve, and never "
                + "into the bucket); give verifiers and serve the public key."})
public final class KeygenCommand extends KeyPairCommand {
    @Option(names = "--private-key", paramLabel = "FILE", defaultValue = "archive-signing-key.pem",
            description = "Where to write the private key, readable by its owner only (default: ${DEFAULT-VALUE}).")
    Path privateKey;

    @Option(names = "--public-key", paramLabel = "FILE", defaultValue = "archive-public-key.pem",
            description = "Where to write the public key (default: ${DEFAULT-VALUE}).")
    Path publicKey;

    @Override
    Path privateKey() {
        return privateKey;
    }

    @Override
    Path publicKey() {
        return publicKey;
    }

    @Override
    String whereTheyGo(Path privateFile, Path publicFile) {
        return "archive: " + ArchiveConfig.SIGNING_KEY_FILE + "=" + privateFile + "   verify and serve: "
                + ArchiveConfig.PUBLIC_KEY_FILE + "=" + publicFile;
    }
}
