package io.auditrail.reports.evidence;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The files of a pack plus what makes it tamper-evident: VERIFY.txt, the signer's public key, manifest.json (name,
 * SHA-256 and size of every other file) and manifest.sig (base64 Ed25519 signature of the manifest's exact bytes,
 * made with the pack signing key, in the format the archive uses for its digests).
 */
final class PackManifest {
    static final String MANIFEST = "manifest.json";
    static final String SIGNATURE = "manifest.sig";
    static final String VERIFY = "VERIFY.txt";
    static final String PUBLIC_KEY = "public-key.pem";
    static final String FORMAT = "auditrail-soc2-evidence-pack";
    static final String UNSIGNED_REASON = "no evidence pack signing key is configured (reports.evidence.signing.key.file "
            + "or AUDITRAIL_REPORTS_EVIDENCE_SIGNING_KEY): this pack is NOT signed and its manifest proves nothing on "
            + "its own";

    static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /** One file as the manifest lists it. */
    record Entry(String name, String sha256, long bytes) {
    }

    private PackManifest() {
    }

    /**
     * The complete pack: {@code files} (in order), then VERIFY.txt, public-key.pem when signed, manifest.json and
     * manifest.sig when signed.
     */
    static Map<String, byte[]> seal(EvidenceFacts facts, Map<String, byte[]> files, Optional<PackSigner> signer) {
        Map<String, byte[]> out = new LinkedHashMap<>(files);
        out.put(VERIFY, verifyText(signer).getBytes(StandardCharsets.UTF_8));
        signer.ifPresent(s -> out.put(PUBLIC_KEY, s.publicKeyPem().getBytes(StandardCharsets.US_ASCII)));
        List<Entry> entries = new ArrayList<>();
        out.forEach((name, bytes) -> entries.add(new Entry(name, sha256Hex(bytes), bytes.length)));
        byte[] manifest = manifestJson(facts, entries, signer);
        out.put(MANIFEST, manifest);
        signer.ifPresent(s -> out.put(SIGNATURE,
                (Base64.getEncoder().encodeToString(s.sign(manifest)) + "\n").getBytes(StandardCharsets.US_ASCII)));
        return out;
    }

    static byte[] manifestJson(EvidenceFacts facts, List<Entry> entries, Optional<PackSigner> signer) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("version", 1);
        m.put("tenant", facts.tenant());
        m.put("from", facts.from().toString());
        m.put("to", facts.to().toString());
        m.put("generated_at", facts.generatedAt().toString());
        if (signer.isPresent()) {
            Map<String, Object> sig = new LinkedHashMap<>();
            sig.put("algorithm", PackSigner.ALGORITHM);
            sig.put("file", SIGNATURE);
            sig.put("key", "the evidence pack signing key (not the archive's digest key)");
            sig.put("public_key_sha256", signer.get().publicKeyFingerprint());
            m.put("signature", sig);
        } else {
            m.put("signature", null);
            m.put("unsigned_reason", UNSIGNED_REASON);
        }
        List<Map<String, Object>> files = new ArrayList<>();
        for (Entry e : entries) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("name", e.name());
            f.put("sha256", e.sha256());
            f.put("bytes", e.bytes());
            files.add(f);
        }
        m.put("files", files);
        try {
            return (JSON.writeValueAsString(m) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String verifyText(Optional<PackSigner> signer) {
        String template;
        try (InputStream in = PackManifest.class.getResourceAsStream("/evidence/VERIFY.txt")) {
            if (in == null) {
                throw new IllegalStateException("evidence/VERIFY.txt missing from the classpath");
            }
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String state = signer.map(s -> "This pack IS signed; the signing public key's fingerprint (SHA-256) is\n"
                + s.publicKeyFingerprint() + ".").orElse("This pack is NOT signed: " + UNSIGNED_REASON + ".");
        return template.replace("{{SIGNING_STATE}}", state);
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
