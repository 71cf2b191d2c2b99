package io.auditrail.reports.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Checks a pack zip: manifest.sig verifies over manifest.json with the given public key, and every file the manifest
 * lists is in the zip with that SHA-256 and size, and nothing else is. Used by tests and the CLI.
 */
public final class EvidencePackVerifier {
    /** Larger than any pack we write; a zip bomb stops here. */
    static final long MAX_TOTAL_BYTES = 2L << 30;

    /** The outcome: {@code valid} when the signature verified and every file matched. */
    public record Result(boolean valid, List<String> problems, int filesChecked) {
        public Result {
            problems = List.copyOf(problems);
        }
    }

    private EvidencePackVerifier() {
    }

    /** @param publicKey the archive's Ed25519 public key, as the operator publishes it (not the copy in the pack) */
    public static Result verify(byte[] zipBytes, PublicKey publicKey) {
        List<String> problems = new ArrayList<>();
        Map<String, byte[]> entries;
        try {
            entries = read(zipBytes, problems);
        } catch (IOException | RuntimeException e) {
            return new Result(false, List.of("not a readable zip: " + e.getMessage()), 0);
        }
        byte[] manifest = entries.get(PackManifest.MANIFEST);
        if (manifest == null) {
            return new Result(false, List.of("no " + PackManifest.MANIFEST), 0);
        }
        byte[] sig = entries.get(PackManifest.SIGNATURE);
        if (sig == null) {
            problems.add("no " + PackManifest.SIGNATURE + ": the pack is unsigned");
        } else if (!signatureValid(publicKey, manifest, sig)) {
            problems.add(PackManifest.SIGNATURE + " does not verify " + PackManifest.MANIFEST + " with the given key");
        }
        int checked = 0;
        Set<String> listed = new HashSet<>();
        try {
            JsonNode root = PackManifest.JSON.readTree(manifest);
            if (!PackManifest.FORMAT.equals(root.path("format").asText())) {
                problems.add(PackManifest.MANIFEST + " is not an evidence pack manifest");
            }
            for (JsonNode f : root.path("files")) {
                String name = f.path("name").asText();
                if (!listed.add(name)) {
                    problems.add("listed twice: " + name);
                    continue;
                }
                byte[] body = entries.get(name);
                checked++;
                if (body == null) {
                    problems.add("missing: " + name);
                } else if (!PackManifest.sha256Hex(body).equals(f.path("sha256").asText())) {
                    problems.add("altered (SHA-256 differs): " + name);
                } else if (body.length != f.path("bytes").asLong(-1)) {
                    problems.add("altered (size differs): " + name);
                }
            }
        } catch (IOException e) {
            problems.add(PackManifest.MANIFEST + " is not JSON");
        }
        for (String name : entries.keySet()) {
            if (!listed.contains(name) && !name.equals(PackManifest.MANIFEST) && !name.equals(PackManifest.SIGNATURE)) {
                problems.add("not in the manifest: " + name);
            }
        }
        if (checked == 0) {
            problems.add("the manifest lists no file");
        }
        return new Result(problems.isEmpty(), problems, checked);
    }

    private static Map<String, byte[]> read(byte[] zipBytes, List<String> problems) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        long total = 0;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(zipBytes), StandardCharsets.UTF_8)) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                byte[] body = zip.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, MAX_TOTAL_BYTES - total + 1));
                total += body.length;
                if (total > MAX_TOTAL_BYTES) {
                    throw new IOException("more than " + MAX_TOTAL_BYTES + " bytes uncompressed");
                }
                if (entries.put(e.getName(), body) != null) {
                    problems.add("duplicate entry: " + e.getName());
                }
            }
        }
        if (entries.isEmpty()) {
            throw new IOException("no entries");
        }
        return entries;
    }

    private static boolean signatureValid(PublicKey key, byte[] manifest, byte[] sigText) {
        try {
            byte[] sig = Base64.getDecoder().decode(new String(sigText, StandardCharsets.US_ASCII).strip());
            Signature s = Signature.getInstance(PackSigner.ALGORITHM);
            s.initVerify(key);
            s.update(manifest);
            return s.verify(sig);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false; // a malformed signature is a bad signature
        }
    }
}
