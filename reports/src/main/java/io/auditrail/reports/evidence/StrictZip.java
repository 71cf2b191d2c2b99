package io.auditrail.reports.evidence;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads a zip through its central directory, as unzip and every desktop tool do, and only a zip whose bytes are
 * exactly one archive: entries back to back from the first byte, each local header agreeing with its central
 * directory entry, the central directory right after the last entry, the end record right after it, no comment and
 * nothing after it. A second central directory, prepended or trailing bytes, or a gap between entries (where files can
 * hide from one kind of reader) is refused before any entry is inflated, and inflating stops at the declared sizes and
 * at the budget. Pure: no I/O.
 */
final class StrictZip {
    private static final int LOCAL = 0x04034b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int END = 0x06054b50;
    private static final int DESCRIPTOR = 0x08074b50;
    private static final int END_SIZE = 22;
    private static final int CENTRAL_SIZE = 46;
    private static final int LOCAL_SIZE = 30;
    private static final int FLAG_ENCRYPTED = 1;
    private static final int FLAG_DESCRIPTOR = 1 << 3;
    private static final int STORED = 0;
    private static final int DEFLATED = 8;

    private StrictZip() {
    }

    /** One central directory entry. */
    private record Entry(String name, byte[] rawName, int flags, int method, long crc, long compressedSize,
                         long size, long localOffset) {
    }

    /**
     * The entries by name, in order.
     *
     * @param problems receives "duplicate entry: name" for a name that appears twice (the later one is kept)
     * @throws IOException when the bytes are not exactly one well-formed zip, or inflate past {@code maxTotalBytes}
     */
    static Map<String, byte[]> read(byte[] zip, long maxTotalBytes, List<String> problems) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int end = zip.length - END_SIZE;
        if (end < 0 || b.getInt(end) != END) {
            throw new IOException("no end of central directory record at the end of the file (trailing bytes, a "
                    + "comment, or not a zip)");
        }
        int disk = u16(b, end + 4);
        int cdDisk = u16(b, end + 6);
        int entriesHere = u16(b, end + 8);
        int entries = u16(b, end + 10);
        long cdSize = u32(b, end + 12);
        long cdOffset = u32(b, end + 16);
        if (disk != 0 || cdDisk != 0 || entriesHere != entries) {
            throw new IOException("a multi-disk zip");
        }
        if (cdOffset + cdSize != end) {
            throw new IOException("the central directory does not end where the end record begins (bytes "
                    + Math.min(cdOffset + cdSize, end) + ".." + Math.max(cdOffset + cdSize, end)
                    + " are unaccounted for: a second archive, a zip64 record or a gap)");
        }
        List<Entry> central = centralDirectory(b, (int) cdOffset, end, entries);
        long expected = 0;
        long total = 0;
        for (Entry e : central) {
            if (e.localOffset() != expected) {
                throw new IOException("entry " + e.name() + " starts at byte " + e.localOffset() + ", not right after "
                        + "the previous one (byte " + expected + "): bytes that no entry accounts for");
            }
            total += e.size();
            if (total > maxTotalBytes) {
                throw new IOException("more than " + maxTotalBytes + " bytes uncompressed");
            }
            expected = checkLocal(b, e, (int) cdOffset);
        }
        if (expected != cdOffset) {
            throw new IOException("bytes " + expected + ".." + cdOffset + " between the last entry and the central "
                    + "directory are unaccounted for");
        }
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (Entry e : central) {
            if (out.put(e.name(), inflate(zip, e)) != null) {
                problems.add("duplicate entry: " + e.name());
            }
        }
        if (out.isEmpty()) {
            throw new IOException("no entries");
        }
        return out;
    }

    private static List<Entry> centralDirectory(ByteBuffer b, int from, int to, int count) throws IOException {
        List<Entry> out = new ArrayList<>(count);
        int at = from;
        while (at < to) {
            need(at + CENTRAL_SIZE <= to, "a central directory entry runs past the directory");
            if (b.getInt(at) != CENTRAL) {
                throw new IOException("byte " + at + " of the central directory is not an entry");
            }
            int flags = u16(b, at + 8);
            int method = u16(b, at + 10);
            long crc = u32(b, at + 16);
            long compressed = u32(b, at + 20);
            long size = u32(b, at + 24);
            int nameLength = u16(b, at + 28);
            int extraLength = u16(b, at + 30);
            int commentLength = u16(b, at + 32);
            int diskStart = u16(b, at + 34);
            long local = u32(b, at + 42);
            int next = at + CENTRAL_SIZE + nameLength + extraLength + commentLength;
            need(next <= to, "a central directory entry runs past the directory");
            if ((flags & FLAG_ENCRYPTED) != 0 || diskStart != 0 || (method != STORED && method != DEFLATED)) {
                throw new IOException("an encrypted, multi-disk or unknown-method entry");
            }
            if (compressed == 0xFFFFFFFFL || size == 0xFFFFFFFFL || local == 0xFFFFFFFFL) {
                throw new IOException("a zip64 entry (no pack is that large)");
            }
            byte[] rawName = Arrays.copyOfRange(b.array(), at + CENTRAL_SIZE, at + CENTRAL_SIZE + nameLength);
            out.add(new Entry(new String(rawName, StandardCharsets.UTF_8), rawName, flags, method, crc, compressed,
                    size, local));
            at = next;
        }
        if (out.size() != count) {
            throw new IOException("the central directory holds " + out.size() + " entries, the end record says "
                    + count);
        }
        return out;
    }

    /** Checks an entry's local header (and data descriptor) against its central entry; returns where it ends. */
    private static long checkLocal(ByteBuffer b, Entry e, int limit) throws IOException {
        int at = (int) e.localOffset();
        need(at + LOCAL_SIZE <= limit, "entry " + e.name() + " runs into the central directory");
        if (b.getInt(at) != LOCAL) {
            throw new IOException("no local header for " + e.name() + " at byte " + at);
        }
        int flags = u16(b, at + 6);
        int method = u16(b, at + 8);
        int nameLength = u16(b, at + 26);
        int extraLength = u16(b, at + 28);
        int data = at + LOCAL_SIZE + nameLength + extraLength;
        need(data <= limit, "entry " + e.name() + " runs into the central directory");
        byte[] localName = Arrays.copyOfRange(b.array(), at + LOCAL_SIZE, at + LOCAL_SIZE + nameLength);
        if (flags != e.flags() || method != e.method() || !Arrays.equals(localName, e.rawName())) {
            throw new IOException("the local header of " + e.name() + " differs from its central directory entry");
        }
        if ((flags & FLAG_DESCRIPTOR) == 0 && (u32(b, at + 14) != e.crc() || u32(b, at + 18) != e.compressedSize()
                || u32(b, at + 22) != e.size())) {
            throw new IOException("the local sizes or CRC of " + e.name() + " differ from its central directory entry");
        }
        long after = data + e.compressedSize();
        need(after <= limit, "entry " + e.name() + " runs into the central directory");
        if ((flags & FLAG_DESCRIPTOR) != 0) {
            int d = (int) after;
            if (d + 4 <= limit && b.getInt(d) == DESCRIPTOR) {
                d += 4;
            }
            need(d + 12 <= limit, "the data descriptor of " + e.name() + " runs into the central directory");
            if (u32(b, d) != e.crc() || u32(b, d + 4) != e.compressedSize() || u32(b, d + 8) != e.size()) {
                throw new IOException("the data descriptor of " + e.name() + " differs from its central entry");
            }
            after = d + 12;
        }
        return after;
    }

    private static byte[] inflate(byte[] zip, Entry e) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int at = (int) e.localOffset();
        int data = at + LOCAL_SIZE + u16(b, at + 26) + u16(b, at + 28);
        byte[] out = new byte[(int) e.size()];
        if (e.method() == STORED) {
            if (e.compressedSize() != e.size()) {
                throw new IOException("stored entry " + e.name() + " has two sizes");
            }
            System.arraycopy(zip, data, out, 0, out.length);
        } else {
            Inflater inflater = new Inflater(true);
            try {
                inflater.setInput(zip, data, (int) e.compressedSize());
                byte[] probe = new byte[1];
                int n = 0;
                while (!inflater.finished()) {
                    // past the declared size, one more byte would mean the entry is longer than its header says
                    int got = n < out.length ? inflater.inflate(out, n, out.length - n) : inflater.inflate(probe);
                    if (n >= out.length && got > 0) {
                        throw new IOException("entry " + e.name() + " inflates to more than its declared " + e.size()
                                + " bytes");
                    }
                    if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                        throw new IOException("entry " + e.name() + " is truncated");
                    }
                    n += got;
                }
                if (n != out.length || inflater.getRemaining() != 0) {
                    throw new IOException("entry " + e.name() + " does not inflate to exactly its declared "
                            + e.size() + " bytes from its declared " + e.compressedSize());
                }
            } catch (DataFormatException ex) {
                throw new IOException("entry " + e.name() + " is not valid deflate data", ex);
            } finally {
                inflater.end();
            }
        }
        CRC32 crc = new CRC32();
        crc.update(out);
        if (crc.getValue() != e.crc()) {
            throw new IOException("entry " + e.name() + " fails its CRC");
        }
        return out;
    }

    private static void need(boolean ok, String what) throws IOException {
        if (!ok) {
            throw new IOException(what);
        }
    }

    private static int u16(ByteBuffer b, int at) throws IOException {
        need(at >= 0 && at + 2 <= b.capacity(), "truncated zip");
        return Short.toUnsignedInt(b.getShort(at));
    }

    private static long u32(ByteBuffer b, int at) throws IOException {
        need(at >= 0 && at + 4 <= b.capacity(), "truncated zip");
        return Integer.toUnsignedLong(b.getInt(at));
    }
}
