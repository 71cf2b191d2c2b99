package io.auditrail.reports.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditrail.archive.ArchiveConfig;
import io.auditrail.archive.ArchiveKeys;
import io.auditrail.core.config.Settings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvidencePackVerifierTest {
    @TempDir
    Path dir;

    @Test
    void aSignedPackVerifiesWithThePackPublicKey() throws Exception {
        PackSigner signer = SampleFacts.signer(dir);
        byte[] zip = SampleFacts.write(SampleFacts.pack(Optional.of(signer)), EvidencePack.Format.ZIP);

        EvidencePackVerifier.Result r = EvidencePackVerifier.verify(zip, packPublicKey());

        assertThat(r.problems()).isEmpty();
        assertThat(r.valid()).isTrue();
        Map<String, byte[]> entries = PackEntries.of(zip);
        assertThat(entries.keySet()).contains("summary.html", "summary.pdf", "evidence.json", "csv/secret-access.csv",
                "csv/privileged-changes.csv", "csv/denials.csv", "csv/anomalies.csv", "csv/anomaly-dispositions.csv",
                "csv/meta-audit.csv", "csv/daily-volume.csv", "VERIFY.txt", "public-key.pem", "manifest.json",
                "manifest.sig");
        assertThat(r.filesChecked()).isEqualTo(entries.size() - 2);
        assertThat(new String(entries.get("manifest.json"), StandardCharsets.UTF_8))
                .contains("\"public_key_sha256\" : \"" + ArchiveKeys.fingerprint(packPublicKey()) + "\"");
    }

    @Test
    void thePublicKeyDerivedFromTheSigningKeyIsThePacksPublicKey() throws Exception {
        PackSigner signer = SampleFacts.signer(dir);
        assertThat(signer.publicKey().getEncoded()).isEqualTo(packPublicKey().getEncoded());
        assertThat(signer.publicKeyPem()).isEqualTo(java.nio.file.Files.readString(dir.resolve("pack.pub")));
    }

    @Test
    void oneAlteredByteInOneFileFailsAndNamesTheFile() throws Exception {
        byte[] zip = SampleFacts.write(SampleFacts.pack(Optional.of(SampleFacts.signer(dir))), EvidencePack.Format.ZIP);
        byte[] tampered = rewrite(zip, "csv/denials.csv", b -> {
            byte[] c = b.clone();
            c[c.length / 2] ^= 1;
            return c;
        });

        EvidencePackVerifier.Result r = EvidencePackVerifier.verify(tampered, packPublicKey());

        assertThat(r.valid()).isFalse();
        assertThat(r.problems()).containsExactly("altered (SHA-256 differs): csv/denials.csv");
    }

    @Test
    void oneAlteredByteInTheManifestBreaksTheSignature() throws Exception {
        byte[] zip = SampleFacts.write(SampleFacts.pack(Optional.of(SampleFacts.signer(dir))), EvidencePack.Format.ZIP);
        // an attacker who edits a file and its hash in the manifest: the hashes agree, the signature does not
        byte[] edited = rewrite(zip, "csv/denials.csv", b -> "time\n".getBytes(StandardCharsets.UTF_8));
        String manifest = new String(PackEntries.of(zip).get("manifest.json"), StandardCharsets.UTF_8);
        String oldHash = PackManifest.sha256Hex(PackEntries.of(zip).get("csv/denials.csv"));
        String forged = manifest.replace(oldHash, PackManifest.sha256Hex("time\n".getBytes(StandardCharsets.UTF_8)))
                .replace("\"bytes\" : " + PackEntries.of(zip).get("csv/denials.csv").length + "", "\"bytes\" : 5");
        byte[] tampered = rewrite(edited, "manifest.json", b -> forged.getBytes(StandardCharsets.UTF_8));

        EvidencePackVerifier.Result r = EvidencePackVerifier.verify(tampered, packPublicKey());

        assertThat(r.valid()).isFalse();
        assertThat(r.problems()).containsExactly("manifest.sig does not verify manifest.json with the given key");
    }

    @Test
    void anotherKeyOrAnAddedFileOrAMissingSignatureFails() throws Exception {
        byte[] zip = SampleFacts.write(SampleFacts.pack(Optional.of(SampleFacts.signer(dir))), EvidencePack.Format.ZIP);
        Path other = dir.resolve("other");
        java.nio.file.Files.createDirectory(other);
        ArchiveKeys.generate(other.resolve("k"), other.resolve("k.pub"));

        assertThat(EvidencePackVerifier.verify(zip, ArchiveKeys.readPublicKey(other.resolve("k.pub"))).problems())
                .containsExactly("manifest.sig does not verify manifest.json with the given key");
        Map<String, byte[]> added = PackEntries.of(zip);
        added.put("csv/extra.csv", "x\n".getBytes(StandardCharsets.UTF_8));
        assertThat(EvidencePackVerifier.verify(PackEntries.zip(added), packPublicKey()).problems())
                .containsExactly("not in the manifest: csv/extra.csv");
        Map<String, byte[]> unsigned = PackEntries.of(zip);
        unsigned.remove("manifest.sig");
        assertThat(EvidencePackVerifier.verify(PackEntries.zip(unsigned), packPublicKey()).problems())
                .containsExactly("no manifest.sig: the pack is unsigned");
        assertThat(EvidencePackVerifier.verify("not a zip".getBytes(StandardCharsets.UTF_8), packPublicKey())
                .valid()).isFalse();
    }

    @Test
    void withoutAKeyThePackIsUnsignedAndSaysSo() throws Exception {
        EvidencePack pack = SampleFacts.pack(Optional.empty());
        byte[] zip = SampleFacts.write(pack, EvidencePack.Format.ZIP);
        Map<String, byte[]> entries = PackEntries.of(zip);

        assertThat(pack.signed()).isFalse();
        assertThat(entries).doesNotContainKeys("manifest.sig", "public-key.pem");
        assertThat(new String(entries.get("manifest.json"), StandardCharsets.UTF_8))
                .contains("\"signature\" : null").contains("NOT signed");
        assertThat(new String(entries.get("VERIFY.txt"), StandardCharsets.UTF_8)).contains("NOT signed");
        SampleFacts.signer(dir);
        assertThat(EvidencePackVerifier.verify(zip, packPublicKey()).problems())
                .containsExactly("no manifest.sig: the pack is unsigned");
    }

    @Test
    void theCsvFormatIsAZipOfTheCsvFilesWithItsOwnSignedManifest() throws Exception {
        byte[] zip = SampleFacts.write(SampleFacts.pack(Optional.of(SampleFacts.signer(dir))), EvidencePack.Format.CSV);

        assertThat(EvidencePackVerifier.verify(zip, packPublicKey()).valid()).isTrue();
        assertThat(PackEntries.of(zip).keySet()).allMatch(n -> n.startsWith("csv/") || n.equals("VERIFY.txt")
                || n.equals("public-key.pem") || n.startsWith("manifest."));
    }

    @Test
    void twoWritesOfOnePackAreByteIdentical() throws Exception {
        EvidencePack pack = SampleFacts.pack(Optional.of(SampleFacts.signer(dir)));
        assertThat(PackManifest.sha256Hex(SampleFacts.write(pack, EvidencePack.Format.ZIP)))
                .isEqualTo(PackManifest.sha256Hex(SampleFacts.write(pack, EvidencePack.Format.ZIP)));
    }

    @Test
    void aZipWithTrailingBytesAndASecondCentralDirectoryIsRefused() throws Exception {
        byte[] genuine = SampleFacts.write(SampleFacts.pack(Optional.of(SampleFacts.signer(dir))),
                EvidencePack.Format.ZIP);
        // a second archive appended, its offsets moved so that its central directory names its own entries: unzip
        // and every tool that reads from the end show the forged files, a reader of local headers the genuine ones
        Map<String, byte[]> forgedFiles = PackEntries.of(genuine);
        forgedFiles.put("csv/denials.csv", "time\n".getBytes(StandardCharsets.UTF_8));
        byte[] crafted = concat(genuine, shift(PackEntries.zip(forgedFiles), genuine.length));
        Path file = dir.resolve("crafted.zip");
        java.nio.file.Files.write(file, crafted);
        try (ZipFile asUnzipSeesIt = new ZipFile(file.toFile())) {
            assertThat(asUnzipSeesIt.getInputStream(asUnzipSeesIt.getEntry("csv/denials.csv")).readAllBytes())
                    .isEqualTo("time\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(PackEntries.of(crafted).get("csv/denials.csv")).isEqualTo(PackEntries.of(genuine)
                .get("csv/denials.csv"));

        EvidencePackVerifier.Result r = EvidencePackVerifier.verify(crafted, packPublicKey());
        assertThat(r.valid()).isFalse();
        assertThat(r.problems()).singleElement().asString().startsWith("not a readable zip: ")
                .contains("not right after the previous one");
    }

    @Test
    void prependedOrTrailingBytesAreRefused() throws Exception {
        byte[] genuine = SampleFacts.write(SampleFacts.pack(Optional.of(SampleFacts.signer(dir))),
                EvidencePack.Format.ZIP);
        assertThat(EvidencePackVerifier.verify(genuine, packPublicKey()).valid()).isTrue();
        byte[] trailing = concat(genuine, "hidden".getBytes(StandardCharsets.US_ASCII));
        assertThat(EvidencePackVerifier.verify(trailing, packPublicKey()).problems()).singleElement().asString()
                .contains("no end of central directory record at the end");
        byte[] prepended = concat("#!/bin/sh\n".getBytes(StandardCharsets.US_ASCII), genuine);
        assertThat(EvidencePackVerifier.verify(prepended, packPublicKey()).problems()).singleElement().asString()
                .contains("unaccounted for");
    }

    @Test
    void aPackThatInflatesPastTheCapIsRefusedBeforeItIsInflated() throws Exception {
        Map<String, byte[]> entries = PackEntries.of(SampleFacts.write(SampleFacts.pack(Optional.of(
                SampleFacts.signer(dir))), EvidencePack.Format.ZIP));
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bomb)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
            z.putNextEntry(new ZipEntry("csv/zeros.csv"));
            byte[] zeros = new byte[1 << 20];
            for (long written = 0; written <= EvidencePackVerifier.MAX_TOTAL_BYTES; written += zeros.length) {
                z.write(zeros);
            }
            z.closeEntry();
        }
        assertThat(bomb.size()).isLessThan(2 << 20);
        assertThat(EvidencePackVerifier.verify(bomb.toByteArray(), packPublicKey()).problems()).singleElement()
                .asString().contains("more than " + EvidencePackVerifier.MAX_TOTAL_BYTES + " bytes uncompressed");
    }

    @Test
    void thePackKeyMustNotBeTheArchivesDigestKey() throws Exception {
        ArchiveKeys.generate(dir.resolve("archive.key"), dir.resolve("archive.pub"));
        // a pack signed with the archive's key does not verify with the pack key an auditor is given
        PackSigner chainKey = new PackSigner(ArchiveKeys.readPrivateKey(dir.resolve("archive.key")));
        SampleFacts.signer(dir);
        byte[] zip = SampleFacts.write(SampleFacts.pack(Optional.of(chainKey)), EvidencePack.Format.ZIP);
        assertThat(EvidencePackVerifier.verify(zip, packPublicKey()).problems())
                .containsExactly("manifest.sig does not verify manifest.json with the given key");
        // and serve refuses to be configured so
        for (Map<String, String> settings : List.of(
                Map.of(EvidenceConfig.SIGNING_KEY_FILE, dir.resolve("archive.key").toString(),
                        ArchiveConfig.PUBLIC_KEY_FILE, dir.resolve("archive.pub").toString()),
                Map.of(EvidenceConfig.SIGNING_KEY_FILE, dir.resolve("archive.key").toString(),
                        ArchiveConfig.SIGNING_KEY_FILE, dir.resolve("archive.key").toString()))) {
            assertThatThrownBy(() -> PackSigner.fromSettings(Settings.of(settings)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("a key of their own");
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The zip with every offset in its central directory and end record moved by {@code by} bytes. */
    private static byte[] shift(byte[] zip, int by) {
        ByteBuffer b = ByteBuffer.wrap(zip.clone()).order(ByteOrder.LITTLE_ENDIAN);
        int end = zip.length - 22;
        int cd = b.getInt(end + 16);
        int cdEnd = cd + b.getInt(end + 12);
        for (int at = cd; at < cdEnd; at += 46 + b.getShort(at + 28) + b.getShort(at + 30) + b.getShort(at + 32)) {
            b.putInt(at + 42, b.getInt(at + 42) + by);
        }
        b.putInt(end + 16, cd + by);
        return b.array();
    }

    private PublicKey packPublicKey() throws IOException {
        return ArchiveKeys.readPublicKey(dir.resolve("pack.pub"));
    }

    private static byte[] rewrite(byte[] zip, String name, UnaryOperator<byte[]> change) throws IOException {
        Map<String, byte[]> entries = PackEntries.of(zip);
        entries.put(name, change.apply(entries.get(name)));
        return PackEntries.zip(entries);
    }
}
