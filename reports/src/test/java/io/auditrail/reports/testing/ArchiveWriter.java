package io.auditrail.reports.testing;

import io.auditrail.archive.ArchiveConfig;
import io.auditrail.archive.ArchiveStore;
import io.auditrail.archive.ChainHeadStore;
import io.auditrail.archive.Digest;
import io.auditrail.archive.DigestChain;
import io.auditrail.archive.DigestEntry;
import io.auditrail.archive.ObjectKey;
import io.auditrail.archive.SignedDigest;
import io.auditrail.core.config.Settings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Writes an archive the way the archiver does, for tests that need one without running it: gzip objects, signed
 * digests chained one after the other, each recorded as the chain head in PostgreSQL (the settings' postgres.*).
 */
public final class ArchiveWriter {
    private final Settings settings;
    private final PrivateKey key;
    private final DigestChain chain;

    public ArchiveWriter(Settings settings, PrivateKey chainKey) {
        this.settings = settings;
        this.key = chainKey;
        this.chain = DigestChain.start(new ArchiveConfig(settings).topics().raw());
    }

    /** Stores lines as one object (each followed by a newline) and returns what a digest says about it. */
    public DigestEntry object(ObjectKey objectKey, List<byte[]> lines) throws IOException {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] line : lines) {
            content.write(line);
            content.write('\n');
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(body)) {
            gz.write(content.toByteArray());
        }
        try (ArchiveStore store = ArchiveStore.open(new ArchiveConfig(settings), Clock.systemUTC())) {
            store.putObject(objectKey.key(), body.toByteArray());
        }
        return new DigestEntry(objectKey.key(), sha256(body.toByteArray()), sha256(content.toByteArray()),
                body.size(), lines.size(), objectKey.partition(), objectKey.firstOffset(), objectKey.lastOffset(),
                objectKey.firstTime(), objectKey.lastTime());
    }

    /** Seals, stores (signature first) and records the next digest of the chain, listing {@code objects}. */
    public SignedDigest digest(List<DigestEntry> objects, Instant created) {
        SignedDigest d = chain.seal(objects, created, key);
        ArchiveConfig config = new ArchiveConfig(settings);
        try (ArchiveStore store = ArchiveStore.open(config, Clock.systemUTC())) {
            store.putDigestPart(Digest.signatureKey(d.key()), (Base64.getEncoder().encodeToString(d.signature())
                    + "\n").getBytes(StandardCharsets.US_ASCII), "text/plain");
            store.putDigestPart(d.key(), d.body(), "application/json");
        }
        chain.advance(d);
        ChainHeadStore.open(config).record(d);
        return d;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
