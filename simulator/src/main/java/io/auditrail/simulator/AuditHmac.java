package io.auditrail.simulator;

/**
 * Deterministic stand-ins for the values Vault's audit device HMACs: {@code hmac-sha256:} and 64 lower-case hex
 * digits, the same for the same input within one simulation (so a token's HMAC repeats across its entries, as
 * with one device's salt). Not a real HMAC: a keyed 64-bit mix is enough for look-alike values and ~10x cheaper.
 */
final class AuditHmac {
    static final String PREFIX = "hmac-sha256:";
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final long salt;

    AuditHmac(long salt) {
        this.salt = mix(salt ^ 0x5DEECE66DL);
    }

    /** The HMAC of the value named by two numbers (a kind and an id). */
    String of(long kind, long id) {
        char[] out = new char[PREFIX.length() + 64];
        PREFIX.getChars(0, PREFIX.length(), out, 0);
        long x = mix(salt ^ mix(kind * 0x9E3779B97F4A7C15L + id));
        int p = PREFIX.length();
        for (int i = 0; i < 4; i++) {
            x = mix(x + i + 1);
            for (int shift = 60; shift >= 0; shift -= 4) {
                out[p++] = HEX[(int) (x >>> shift) & 0xF];
            }
        }
        return new String(out);
    }

    /** The HMAC of a string value. */
    String of(String value) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < value.length(); i++) {
            h = (h ^ value.charAt(i)) * 0x100000001b3L;
        }
        return of(0x73747269L, h);
    }

    /** SplitMix64's finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
