package io.auditrail.reports.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a pack zip: manifest.sig verifies over manifest.json with the given public key, and every file the manifest
 * lists is in the zip with that SHA-256 and size, and nothing else is. The zip is read through its central directory
 * (what unzip shows) and only when its bytes are exactly one archive ({@link StrictZip}): a pack that shows other
 * files to one reader than to another is refused as a whole.
 */
public final class EvidencePackVerifier {
    /**
     * Uncompressed bytes a pack may hold: a year's pack of a busy tenant is tens of megabytes (docs/EVIDENCE.md);
     * a zip bomb stops here, before any entry is inflated.
     */
    static final long MAX_TOTAL_BYTES = 256L << 20;

    /** The outcome: {@code valid} when the signature verified and every file matched. */
    public record Result(boolean valid, List<String> problems, int filesChecked) {
        public Result {
            problems = List.copyOf(problems);
        }
    }

    private EvidencePackVerifier() {
    }

    /** @param publicKey the evidence pack public key, as the operator publishes it (not the copy in the pack) */
    public static Result verify(byte[] zipBytes, PublicKey publicKey) {
        List<String> problems = new ArrayList<>();
        Map<String, byte[]> entries;
        try {
            entries = StrictZip.read(zipBytes, MAX_TOTAL_BYTES, problems);
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
