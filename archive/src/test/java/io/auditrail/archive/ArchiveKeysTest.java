package io.auditrail.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveKeysTest {
    @TempDir
    Path dir;

    @Test
    void generatedKeysSignAndVerify() throws Exception {
        Path priv = dir.resolve("archive.key");
        Path pub = dir.resolve("archive.pub");
        String fingerprint = ArchiveKeys.generate(priv, pub);

        assertThat(Files.readString(priv)).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(Files.readString(pub)).startsWith("-----BEGIN PUBLIC KEY-----\n");
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(priv))).isEqualTo("rw-------");
        }
        PrivateKey privateKey = ArchiveKeys.readPrivateKey(priv);
        PublicKey publicKey = ArchiveKeys.readPublicKey(pub);
        assertThat(ArchiveKeys.fingerprint(publicKey)).isEqualTo(fingerprint);
        byte[] data = "digest".getBytes(StandardCharsets.UTF_8);
        byte[] signature = ArchiveKeys.sign(privateKey, data);
        assertThat(ArchiveKeys.verify(publicKey, data, signature)).isTrue();
        assertThat(ArchiveKeys.verify(publicKey, "digesT".getBytes(StandardCharsets.UTF_8), signature)).isFalse();
        assertThat(ArchiveKeys.verify(publicKey, data, new byte[3])).isFalse();
    }

    @Test
    void thePublicKeyDerivedFromThePrivateKeyIsTheOneWrittenBesideIt() throws Exception {
        ArchiveKeys.generate(dir.resolve("k"), dir.resolve("p"));
        PublicKey derived = ArchiveKeys.publicKeyOf(ArchiveKeys.readPrivateKey(dir.resolve("k")));
        assertThat(derived.getEncoded()).isEqualTo(ArchiveKeys.readPublicKey(dir.resolve("p")).getEncoded());
        assertThat(ArchiveKeys.publicKeyPem(derived)).isEqualTo(Files.readString(dir.resolve("p")));
    }

    @Test
    void anEnvironmentVariableMayHoldBareBase64() throws Exception {
        ArchiveKeys.generate(dir.resolve("k"), dir.resolve("p"));
        PrivateKey fromFile = ArchiveKeys.readPrivateKey(dir.resolve("k"));
        String bare = Base64.getEncoder().encodeToString(fromFile.getEncoded());
        assertThat(ArchiveKeys.privateKey(bare).getEncoded()).isEqualTo(fromFile.getEncoded());
    }

    @Test
    void neverOverwritesAKey() throws Exception {
        ArchiveKeys.generate(dir.resolve("k"), dir.resolve("p"));
        byte[] before = Files.readAllBytes(dir.resolve("k"));
        assertThatThrownBy(() -> ArchiveKeys.generate(dir.resolve("k"), dir.resolve("p2")))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readAllBytes(dir.resolve("k"))).isEqualTo(before);
        assertThat(dir.resolve("p2")).doesNotExist();
    }

    @Test
    void aBadKeyIsRefusedWithoutQuotingIt() {
        String secretish = "c2VjcmV0LXNlY3JldC1zZWNyZXQ=";
        assertThatThrownBy(() -> ArchiveKeys.privateKey(secretish)).isInstanceOf(IllegalArgumentException.class)
                .message().doesNotContain(secretish).doesNotContain("secret");
    }
}
