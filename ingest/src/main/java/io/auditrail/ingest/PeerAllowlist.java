package io.auditrail.ingest;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The peer addresses whose connections are read as Vault's ({@code ingest.allowed.cidrs}): CIDR blocks, IPv4 or IPv6.
 * Literal addresses only, never names: a name is resolved once and the answer then goes stale. An IPv4 peer reached
 * over an IPv6 socket ({@code ::ffff:a.b.c.d}) is matched as the IPv4 address it is. Immutable.
 */
public final class PeerAllowlist {
    private final List<Block> blocks;

    private record Block(byte[] network, int prefixBits, String text) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefixBits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefixBits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private PeerAllowlist(List<Block> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    /**
     * Parses {@code a.b.c.d/n}, {@code x:y::z/n} or a bare address (a single host).
     *
     * @throws IllegalArgumentException naming the entry that is not a CIDR block, or whose host bits are set
     */
    public static PeerAllowlist parse(List<String> cidrs) {
        List<Block> blocks = new ArrayList<>();
        for (String raw : cidrs) {
            String cidr = raw.trim();
            if (cidr.isEmpty()) {
                continue;
            }
            int slash = cidr.indexOf('/');
            String host = slash < 0 ? cidr : cidr.substring(0, slash);
            byte[] network = literal(host, cidr);
            int bits;
            try {
                bits = slash < 0 ? network.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(cidr + " is not a CIDR block (prefix length is not a number)", e);
            }
            if (bits < 0 || bits > network.length * 8) {
                throw new IllegalArgumentException(cidr + ": prefix length must be 0-" + network.length * 8);
            }
            Block b = new Block(network, bits, cidr);
            byte[] masked = network.clone();
            for (int i = 0; i < masked.length; i++) {
                int keep = Math.max(0, Math.min(8, bits - i * 8));
                masked[i] &= (byte) (0xff << (8 - keep));
            }
            if (!Arrays.equals(masked, network)) {
                // 10.0.0.5/8 is almost always a typo for a host or for 10.0.0.0/8; either reading would surprise
                throw new IllegalArgumentException(cidr + " has host bits set (did you mean "
                        + address(masked) + "/" + bits + "?)");
            }
            blocks.add(b);
        }
        return new PeerAllowlist(blocks);
    }

    /** Whether a peer at {@code address} may send lines. */
    public boolean allows(InetAddress address) {
        byte[] bytes = normalized(address).getAddress();
        for (Block b : blocks) {
            if (b.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    /** The blocks as configured, for logs and messages. */
    public List<String> blocks() {
        return blocks.stream().map(Block::text).toList();
    }

    /** Whether every address is allowed (an IPv4 and an IPv6 block of length 0). */
    public boolean allowsEverything() {
        boolean v4 = blocks.stream().anyMatch(b -> b.network.length == 4 && b.prefixBits == 0);
        boolean v6 = blocks.stream().anyMatch(b -> b.network.length == 16 && b.prefixBits == 0);
        return v4 && v6;
    }

    private static InetAddress normalized(InetAddress a) {
        if (a instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            mapped &= b[10] == (byte) 0xff && b[11] == (byte) 0xff;
            if (mapped) {
                try {
                    return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
                } catch (UnknownHostException e) {
                    throw new IllegalStateException("four bytes are always an address", e);
                }
            }
        }
        return a;
    }

    private static byte[] literal(String host, String cidr) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean v4 = h.matches("\\d{1,3}(\\.\\d{1,3}){3}")
                && Arrays.stream(h.split("\\.")).allMatch(o -> Integer.parseInt(o) <= 255);
        boolean v6 = h.contains(":") && h.toLowerCase(Locale.ROOT).matches("[0-9a-f:.]+");
        if (!v4 && !v6) {
            // never resolve: InetAddress.getByName would look a name up in DNS
            throw new IllegalArgumentException(cidr + " is not a CIDR block of IP addresses (names are not resolved)");
        }
        try {
            InetAddress a = InetAddress.getByName(h);
            if (v4 != (a instanceof Inet4Address)) {
                throw new IllegalArgumentException(cidr + " is not a CIDR block");
            }
            return a.getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(cidr + " is not a CIDR block", e);
        }
    }

    private static String address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }

    @Override
    public String toString() {
        return String.join(",", blocks());
    }
}
