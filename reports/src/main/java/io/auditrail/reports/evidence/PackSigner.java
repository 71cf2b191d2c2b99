package io.auditrail.reports.evidence;

import io.auditrail.archive.ArchiveConfig;
import io.auditrail.archive.ArchiveKeys;
import io.auditrail.core.config.Settings;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;

/**
 * Signs a pack's manifest with the evidence pack key ({@code reports.evidence.signing.key(.file)}), a key of its own:
 * serve is the internet-facing process, so it holds the pack key and only the archive's public key, and whoever takes
 * it over can sign packs but not re-sign the archive's digest chain. The private key never leaves this object and is
 * never logged.
 */
final class PackSigner {
    static final String ALGORITHM = "Ed25519";

    private final PrivateKey privateKey;
    private final PublicKey publicKey;

    PackSigner(PrivateKey privateKey) {
        this.privateKey = privateKey;
        this.publicKey = ArchiveKeys.publicKeyOf(privateKey);
    }

    /**
     * The pack signing key, empty when none is configured (the pack is then written unsigned and says so). A key that
     * is configured but unreadable, or that is the archive's digest key, is an operator error and fails loudly, naming
     * the setting only.
     */
    static Optional<PackSigner> fromSettings(Settings settings) {
        Optional<PrivateKey> key;
        try {
            key = new EvidenceConfig(settings).signingKey();
        } catch (ConfigException e) {
            throw new IllegalStateException("the evidence pack signing key is configured but unusable: "
                    + ArchiveEvidence.shortReason(e));
        }
        if (key.isEmpty()) {
            return Optional.empty();
        }
        PackSigner signer = new PackSigner(key.get());
        if (chainKeys(settings).stream().anyMatch(k -> Arrays.equals(k.getEncoded(), signer.publicKey.getEncoded()))) {
            throw new IllegalStateException(EvidenceConfig.SIGNING_KEY_FILE + " holds the archive's digest signing "
                    + "key: packs need a key of their own (auditrail report keygen), or serve could re-sign the "
                    + "archive's chain");
        }
        return Optional.of(signer);
    }

    /** The archive chain's public keys these settings name (its public key, and that of its private key in dev mode). */
    private static java.util.List<PublicKey> chainKeys(Settings settings) {
        java.util.List<PublicKey> out = new java.util.ArrayList<>();
        try {
            ArchiveConfig archive = new ArchiveConfig(settings);
            archive.configuredPublicKey().ifPresent(out::add);
            String file = settings.asMap().getOrDefault(ArchiveConfig.SIGNING_KEY_FILE, "");
            String inline = settings.asMap().getOrDefault(ArchiveConfig.SIGNING_KEY, "");
            if (!file.isBlank() || !inline.isBlank()) {
                out.add(ArchiveKeys.publicKeyOf(archive.signingKey()));
            }
        } catch (ConfigException e) {
            // an unusable archive setting is reported where the archive is used; it names no key to compare with
        }
        return out;
    }

    byte[] sign(byte[] data) {
        return ArchiveKeys.sign(privateKey, data);
    }

    PublicKey publicKey() {
        return publicKey;
    }

    String publicKeyFingerprint() {
        return ArchiveKeys.fingerprint(publicKey);
    }

    /** The public key as PEM (X.509 SubjectPublicKeyInfo), as openssl and 'auditrail report keygen' write it. */
    String publicKeyPem() {
        return ArchiveKeys.publicKeyPem(publicKey);
    }
}
