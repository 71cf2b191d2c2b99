package io.auditrail.ingest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The shared values Vault's socket device writes in front of every line (its {@code prefix} option), each with the
 * name of who holds it ({@code ingest.auth.prefixes}). A line is accepted only when it starts with one of them; the
 * prefix is cut off before the line goes anywhere, so the secret never reaches Kafka, the archive or the index, and
 * the name travels with the line as its source. Several entries may share a name (the old and the new value while
 * rotating). Vault's audit table is one per cluster, so every node of a cluster writes the same device options: a
 * name says which cluster (or node, where a node has a device of its own) vouched for the line, the peer address
 * which node sent it. Immutable; values never appear in messages.
 */
public final class AuditPrefixes {
    /** Shortest value accepted: a shared secret shorter than 128 bits can be guessed offline from nothing. */
    static final int MIN_PREFIX_BYTES = 16;
    static final int MAX_PREFIX_BYTES = 256;
    public static final AuditPrefixes NONE = new AuditPrefixes(List.of());

    /** One configured value and its holder's name. */
    public record Entry(String name, byte[] prefix) {
    }

    private final List<Entry> entries;

    private AuditPrefixes(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * Parses {@code name=value,name=value}. Names: letters, digits, {@code . _ -}. Values: printable ASCII without
     * space, {@code ,}, {@code "}, {@code \} or <code>{</code> (the JSON that follows starts with one), 16-256 bytes.
     *
     * @throws IllegalArgumentException naming the entry (by position and name, never by value)
     */
    public static AuditPrefixes parse(String spec) {
        List<Entry> entries = new ArrayList<>();
        if (spec == null || spec.isBlank()) {
            return NONE;
        }
        String[] parts = spec.split(",", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].trim();
            String where = "entry " + (i + 1);
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(where + " is not name=prefix");
            }
            String name = part.substring(0, eq).trim();
            String value = part.substring(eq + 1);
            if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException(where + ": a name is 1-64 letters, digits, '.', '_' or '-'");
            }
            where += " (" + name + ")";
            if (value.length() < MIN_PREFIX_BYTES || value.length() > MAX_PREFIX_BYTES) {
                throw new IllegalArgumentException(where + ": the prefix must be " + MIN_PREFIX_BYTES + "-"
                        + MAX_PREFIX_BYTES + " characters (it is a shared secret; e.g. openssl rand -hex 24)");
            }
            for (char c : value.toCharArray()) {
                if (c < 0x21 || c > 0x7e || c == ',' || c == '"' || c == '\\' || c == '{') {
                    throw new IllegalArgumentException(where + ": the prefix may hold printable ASCII only, without "
                            + "space, ',', '\"', '\\' or '{'");
                }
            }
            byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
            for (Entry e : entries) {
                if (startsWith(bytes, e.prefix) || startsWith(e.prefix, bytes)) {
                    // a line could then match two entries, and which name it carries would depend on their order
                    throw new IllegalArgumentException(where + ": its prefix equals or begins another entry's ("
                            + e.name + ")");
                }
            }
            entries.add(new Entry(name, bytes));
        }
        return new AuditPrefixes(entries);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public int size() {
        return entries.size();
    }

    public Entry entry(int index) {
        return entries.get(index);
    }

    /** The distinct names, in the order configured. */
    public List<String> names() {
        return entries.stream().map(Entry::name).distinct().toList();
    }

    /**
     * The entry whose value the line starts with, or -1. Each value is compared over its whole length whatever the
     * first differing byte, so the time taken does not tell an attacker how much of a guess was right.
     */
    public int match(byte[] buf, int off, int len) {
        int found = -1;
        for (int i = 0; i < entries.size(); i++) {
            byte[] p = entries.get(i).prefix;
            if (len < p.length) {
                continue;
            }
            int diff = 0;
            for (int j = 0; j < p.length; j++) {
                diff |= buf[off + j] ^ p[j];
            }
            if (diff == 0) {
                found = i;
            }
        }
        return found;
    }

    private static boolean startsWith(byte[] a, byte[] b) {
        if (a.length < b.length) {
            return false;
        }
        for (int i = 0; i < b.length; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "AuditPrefixes" + names();
    }
}
