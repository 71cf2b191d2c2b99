package io.auditrail.app.task;

import io.auditrail.reports.evidence.EvidenceConfig;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code auditrail report keygen}: a new Ed25519 key pair for signing evidence packs. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = {"Write a new Ed25519 key pair (PEM, as openssl genpkey writes) for signing evidence packs: a key "
                + "of their own, never the archive's digest key (serve holds this one, and must not be able to re-sign "
                + "the archive). Refuses to overwrite a file. Give serve the private key; publish the public key to "
                + "auditors."})
public final class PackKeygenCommand extends KeyPairCommand {
    @Option(names = "--private-key", paramLabel = "FILE", defaultValue = "evidence-pack-signing-key.pem",
            description = "Where to write the private key, readable by its owner only (default: ${DEFAULT-VALUE}).")
    Path privateKey;

    @Option(names = "--public-key", paramLabel = "FILE", defaultValue = "evidence-pack-public-key.pem",
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
        return "serve: " + EvidenceConfig.SIGNING_KEY_FILE + "=" + privateFile + "   auditors verify packs with "
                + publicFile;
    }
}
