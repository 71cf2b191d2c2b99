package io.auditrail.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerAllowlistTest {
    private static boolean allows(PeerAllowlist a, String address) throws Exception {
        return a.allows(InetAddress.getByName(address));
    }

    @Test
    void blocksMatchTheirAddressesOnly() throws Exception {
        PeerAllowlist a = PeerAllowlist.parse(List.of("10.20.0.0/16", "192.168.7.9", " fd00:1::/32 ", "172.16.0.0/12"));
        assertThat(allows(a, "10.20.255.1")).isTrue();
        assertThat(allows(a, "10.21.0.1")).isFalse();
        assertThat(allows(a, "192.168.7.9")).isTrue();
        assertThat(allows(a, "192.168.7.10")).isFalse();
        assertThat(allows(a, "172.31.255.255")).isTrue();
        assertThat(allows(a, "172.32.0.0")).isFalse();
        assertThat(allows(a, "fd00:1:ffff::1")).isTrue();
        assertThat(allows(a, "fd00:2::1")).isFalse();
        assertThat(allows(a, "127.0.0.1")).isFalse();
        assertThat(a.allowsEverything()).isFalse();
    }

    @Test
    void anIpv4PeerOnAnIpv6SocketIsMatchedAsIpv4() throws Exception {
        PeerAllowlist a = PeerAllowlist.parse(List.of("10.0.0.0/8"));
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 10;
        mapped[15] = 7;
        assertThat(a.allows(java.net.Inet6Address.getByAddress(null, mapped, -1))).isTrue();
    }

    @Test
    void everythingAndNothing() throws Exception {
        PeerAllowlist all = PeerAllowlist.parse(List.of("0.0.0.0/0", "::/0"));
        assertThat(allows(all, "203.0.113.5")).isTrue();
        assertThat(allows(all, "2001:db8::1")).isTrue();
        assertThat(all.allowsEverything()).isTrue();
        PeerAllowlist none = PeerAllowlist.parse(List.of());
        assertThat(allows(none, "127.0.0.1")).isFalse();
    }

    @Test
    void typosAreRefusedAndNamesNeverResolved() {
        assertThatThrownBy(() -> PeerAllowlist.parse(List.of("10.0.0.5/8"))).hasMessageContaining("10.0.0.0/8");
        assertThatThrownBy(() -> PeerAllowlist.parse(List.of("10.0.0.0/33"))).hasMessageContaining("0-32");
        assertThatThrownBy(() -> PeerAllowlist.parse(List.of("10.0.0.0/x"))).hasMessageContaining("not a number");
        assertThatThrownBy(() -> PeerAllowlist.parse(List.of("localhost"))).hasMessageContaining("names are not resolved");
        assertThatThrownBy(() -> PeerAllowlist.parse(List.of("300.1.1.1/32"))).hasMessageContaining("not a CIDR");
        assertThatThrownBy(() -> PeerAllowlist.parse(List.of("fd00::/129"))).hasMessageContaining("0-128");
    }
}
