package io.auditrail.app.task;

import io.auditrail.app.ExitCode;
import io.auditrail.archive.ArchiveConfig;
import io.auditrail.archive.ArchiveKeys;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code auditrail archive keygen}: a new Ed25519 key pair for signing archive digests. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = {"Write a new Ed25519 key pair (PEM, as openssl genpkey writes) for signing archive digests. "
                + "Refuses to overwrite a file. Keep the private key out of the bucket; give verifiers the public key."})
public final class KeygenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--private-key", paramLabel = "FILE", defaultValue = "archive-signing-key.pem",
            description = "Where to write the private key, readable by its owner only (default: ${DEFAULT-VALUE}).")
    Path privateKey;

    @Option(names = "--public-key", paramLabel = "FILE", defaultValue = "archive-public-key.pem",
            description = "Where to write the public key (default: ${DEFAULT-VALUE}).")
    Path publicKey;

    @Override
    public Integer call() throws Exception {
        String fingerprint = ArchiveKeys.generate(privateKey, publicKey);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("wrote %s (private) and %s (public, SHA-256 fingerprint %s)%n", privateKey, publicKey, fingerprint);
        out.printf("archive: %s=%s   verify: %s=%s%n", ArchiveConfig.SIGNING_KEY_FILE, privateKey.toAbsolutePath(),
                ArchiveConfig.PUBLIC_KEY_FILE, publicKey.toAbsolutePath());
        return ExitCode.OK;
    }
}
