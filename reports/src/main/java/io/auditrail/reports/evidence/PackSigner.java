package io.auditrail.reports.evidence;

import io.auditrail.archive.ArchiveConfig;
import io.auditrail.archive.ArchiveKeys;
import io.auditrail.core.config.Settings;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.util.Base64;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;

/**
 * Signs a pack's manifest with the archive's Ed25519 key (archive.signing.key.file or AUDITRAIL_ARCHIVE_SIGNING_KEY),
 * so the public key that checks the archive's digests also checks the pack. The private key never leaves this
 * object and is never logged.
 */
final class PackSigner {
    static final String ALGORITHM = "Ed25519";

    private final PrivateKey privateKey;
    private final PublicKey publicKey;

    PackSigner(PrivateKey privateKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKeyOf(privateKey);
    }

    /**
     * The archive's signing key, empty when none is configured (the pack is then written unsigned and says so).
     * A key that is configured but unreadable is an operator error and fails loudly, naming the setting only.
     */
    static Optional<PackSigner> fromSettings(Settings settings) {
        String file = settings.asMap().getOrDefault(ArchiveConfig.SIGNING_KEY_FILE, "");
        String inline = settings.asMap().getOrDefault(ArchiveConfig.SIGNING_KEY, "");
        if (file.isBlank() && inline.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new PackSigner(new ArchiveConfig(settings).signingKey()));
        } catch (ConfigException e) {
            throw new IllegalStateException("the archive signing key is configured but unusable: "
                    + ArchiveEvidence.shortReason(e));
        }
    }

    byte[] sign(byte[] data) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(privateKey);
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing failed: " + e.getClass().getSimpleName(), e);
        }
    }

    PublicKey publicKey() {
        return publicKey;
    }

    String publicKeyFingerprint() {
        return ArchiveKeys.fingerprint(publicKey);
    }

    /** The public key as PEM (X.509 SubjectPublicKeyInfo), as openssl and 'auditrail archive keygen' write it. */
    String publicKeyPem() {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(publicKey.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    /**
     * Ed25519's public key is a function of the 32-byte private seed. The JDK has no call for it, but its generator
     * draws exactly that seed from the SecureRandom it is given, so feeding it the seed yields the same pair.
     */
    static PublicKey publicKeyOf(PrivateKey key) {
        if (!(key instanceof EdECPrivateKey ed) || ed.getBytes().isEmpty()) {
            throw new IllegalArgumentException("not an Ed25519 private key");
        }
        byte[] seed = ed.getBytes().get();
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(ALGORITHM);
            g.initialize(NamedParameterSpec.ED25519, new SeedRandom(seed));
            return g.generateKeyPair().getPublic();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java runtime has no Ed25519", e);
        }
    }

    /** Returns the given seed as its "random" bytes, once; only for {@link #publicKeyOf}. */
    private static final class SeedRandom extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final byte[] seed;

        SeedRandom(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            if (bytes.length != seed.length) {
                throw new IllegalStateException("Ed25519 key generation asked for " + bytes.length + " bytes");
            }
            System.arraycopy(seed, 0, bytes, 0, bytes.length);
        }
    }
}
