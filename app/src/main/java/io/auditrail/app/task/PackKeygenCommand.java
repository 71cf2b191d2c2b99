package io.auditrail.app.task;

import io.auditrail.app.ExitCode;
import io.auditrail.archive.ArchiveKeys;
import io.auditrail.reports.evidence.EvidenceConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code auditrail report keygen}: a new Ed25519 key pair for signing evidence packs. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = {"Write a new Ed25519 key pair (PEM, as openssl genpkey writes) for signing evidence packs: a key "
                + "of their own, never the archive's digest key (serve holds this one, and must not be able to re-sign "
                + "the archive). Refuses to overwrite a file. Give serve the private key; publish the public key to "
                + "auditors."})
public final class PackKeygenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--private-key", paramLabel = "FILE", defaultValue = "evidence-pack-signing-key.pem",
            description = "Where to write the private key, readable by its owner only (default: ${DEFAULT-VALUE}).")
    Path privateKey;

    @Option(names = "--public-key", paramLabel = "FILE", defaultValue = "evidence-pack-public-key.pem",
            description = "Where to write the public key (default: ${DEFAULT-VALUE}).")
    Path publicKey;

    @Override
    public Integer call() throws Exception {
        String fingerprint = ArchiveKeys.generate(privateKey, publicKey);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("wrote %s (private) and %s (public, SHA-256 fingerprint %s)%n", privateKey, publicKey, fingerprint);
        out.printf("serve: %s=%s   auditors verify packs with %s%n", EvidenceConfig.SIGNING_KEY_FILE,
                privateKey.toAbsolutePath(), publicKey.toAbsolutePath());
        return ExitCode.OK;
    }
}
