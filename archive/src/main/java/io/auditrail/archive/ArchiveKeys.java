package io.auditrail.archive;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;

/**
 * The Ed25519 key pair that signs digests: PEM files ({@code PRIVATE KEY} = PKCS#8, {@code PUBLIC KEY} = X.509
 * SubjectPublicKeyInfo, as {@code openssl genpkey -algorithm ed25519} writes them). The private key is never logged
 * and never written to the bucket; only a verifier's public key is needed to check the archive.
 */
public final class ArchiveKeys {
    static final String ALGORITHM = "Ed25519";
    private static final String PRIVATE = "PRIVATE KEY";
    private static final String PUBLIC = "PUBLIC KEY";

    private ArchiveKeys() {
    }

    /**
     * Writes a new key pair; refuses to overwrite either file. The private key file is created readable by its owner
     * only where the file system has POSIX permissions.
     *
     * @return the public key's fingerprint (hex SHA-256 of its encoding)
     */
    public static String generate(Path privateOut, Path publicOut) throws IOException {
        KeyPair pair;
        try {
            pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java runtime has no Ed25519", e);
        }
        if (Files.exists(privateOut) || Files.exists(publicOut)) {
            throw new FileAlreadyExistsException(Files.exists(privateOut) ? privateOut.toString() : publicOut.toString(),
                    null, "refusing to overwrite a key");
        }
        writeOwnerOnly(privateOut, pem(PRIVATE, pair.getPrivate().getEncoded()));
        Files.writeString(publicOut, pem(PUBLIC, pair.getPublic().getEncoded()), StandardCharsets.US_ASCII,
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return fingerprint(pair.getPublic());
    }

    /** A private key from PEM text or bare base64 of the PKCS#8 encoding (an environment variable holds either). */
    public static PrivateKey privateKey(String text) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(decode(text, PRIVATE)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // the message never quotes the text: it is a secret
            throw new IllegalArgumentException("not an Ed25519 private key (PKCS#8 PEM or base64): "
                    + e.getClass().getSimpleName());
        }
    }

    public static PrivateKey readPrivateKey(Path file) throws IOException {
        return privateKey(Files.readString(file, StandardCharsets.US_ASCII));
    }

    /**
     * A private key given by settings: a PEM file, or the key itself (either or none).
     *
     * @return empty when neither setting has a value
     * @throws ConfigException naming the setting, never quoting an inline key (it is a secret)
     */
    public static Optional<PrivateKey> configuredPrivateKey(String fileSetting, String file, String inlineSetting,
                                                            String inline) {
        try {
            if (!file.isEmpty()) {
                return Optional.of(readPrivateKey(Path.of(file)));
            }
            if (!inline.isEmpty()) {
                return Optional.of(privateKey(inline));
            }
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(file.isEmpty() ? inlineSetting : fileSetting, file.isEmpty() ? "[hidden]" : file,
                    e.getMessage());
        }
    }

    public static PublicKey publicKey(String text) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(decode(text, PUBLIC)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an Ed25519 public key (X.509 PEM or base64): " + e.getMessage());
        }
    }

    public static PublicKey readPublicKey(Path file) throws IOException {
        return publicKey(Files.readString(file, StandardCharsets.US_ASCII));
    }

    /**
     * The public key of an Ed25519 private key. Ed25519's public key is a function of the 32-byte private seed; the
     * JDK has no call for it, but its generator draws exactly that seed from the SecureRandom it is given, so feeding
     * it the seed yields the same pair.
     */
    public static PublicKey publicKeyOf(PrivateKey key) {
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

    /** The public key as PEM (X.509 SubjectPublicKeyInfo), as openssl and {@link #generate} write it. */
    public static String publicKeyPem(PublicKey key) {
        return pem(PUBLIC, key.getEncoded());
    }

    public static String fingerprint(PublicKey key) {
        return Hashes.sha256Hex(key.getEncoded());
    }

    public static byte[] sign(PrivateKey key, byte[] data) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(key);
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing failed: " + e.getClass().getSimpleName(), e);
        }
    }

    public static boolean verify(PublicKey key, byte[] data, byte[] signature) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(key);
            s.update(data);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // a malformed signature is a bad signature
        }
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] decode(String text, String type) {
        String body = text.strip();
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int b = body.indexOf(begin);
        if (b >= 0) {
            int e = body.indexOf(end, b);
            if (e < 0) {
                throw new IllegalArgumentException("PEM without " + end);
            }
            body = body.substring(b + begin.length(), e);
        }
        return Base64.getMimeDecoder().decode(body);
    }

    private static void writeOwnerOnly(Path file, String content) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(Set.of(
                    java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                    java.nio.file.attribute.PosixFilePermission.OWNER_WRITE)));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(file, content, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
    }
}
