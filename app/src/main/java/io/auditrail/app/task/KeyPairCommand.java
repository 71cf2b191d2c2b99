package io.auditrail.app.task;

import io.auditrail.app.ExitCode;
import io.auditrail.archive.ArchiveKeys;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What both keygen commands do: write a new Ed25519 PEM pair (never over a file) and say where it goes. */
abstract class KeyPairCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    abstract Path privateKey();

    abstract Path publicKey();

    /** One line: which setting takes the private key, and who gets the public key. */
    abstract String whereTheyGo(Path privateKey, Path publicKey);

    @Override
    public Integer call() throws Exception {
        String fingerprint = ArchiveKeys.generate(privateKey(), publicKey());
        PrintWriter out = spec.commandLine().getOut();
        out.printf("wrote %s (private) and %s (public, SHA-256 fingerprint %s)%n", privateKey(), publicKey(),
                fingerprint);
        out.println(whereTheyGo(privateKey().toAbsolutePath(), publicKey().toAbsolutePath()));
        return ExitCode.OK;
    }
}
