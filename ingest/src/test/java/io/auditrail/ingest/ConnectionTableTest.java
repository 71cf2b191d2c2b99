package io.auditrail.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditrail.ingest.Connection.Standing;
import org.junit.jupiter.api.Test;

class ConnectionTableTest {
    private long clock = 1_000;

    private Connection open(ConnectionTable t, String host, Standing standing) {
        Connection c = new Connection(host + ":" + clock, host, "tcp://test", new LineFramer(1 << 20, 8 << 20),
                standing, clock++);
        t.add(c);
        return c;
    }

    private static Connection holding(Connection c, int bytes) {
        byte[] b = new byte[bytes];
        c.framer.feed(b, 0, b.length, (buf, off, len, kind, original) -> { });
        return c;
    }

    @Test
    void atTheCapTheLongestQuietUntrustedConnectionMakesRoom() {
        ConnectionTable t = new ConnectionTable(3, 8);
        Connection vault = open(t, "10.0.0.1", Standing.PROVEN);
        Connection junk1 = open(t, "10.9.0.1", Standing.UNPROVEN);
        Connection junk2 = open(t, "10.9.0.2", Standing.UNPROVEN);
        junk1.lastActivityNanos = 50_000; // junk1 spoke last; junk2 has been quiet longest
        ConnectionTable.Admission a = t.admit("10.0.0.2", Standing.UNPROVEN);
        assertThat(a.accept()).isTrue();
        assertThat(a.evict()).isSameAs(junk2);
        assertThat(a.reason()).isEqualTo(CloseReason.EVICTED);
        assertThat(vault.standing).isEqualTo(Standing.PROVEN);
    }

    @Test
    void strangersGoFirstAndNeverDisplaceAllowedPeers() {
        ConnectionTable t = new ConnectionTable(3, 8);
        open(t, "10.0.0.1", Standing.PROVEN);
        Connection unproven = open(t, "10.9.0.1", Standing.UNPROVEN);
        Connection stranger = open(t, "203.0.113.9", Standing.STRANGER);
        stranger.lastActivityNanos = 99_999; // most recent, still first to go
        assertThat(t.admit("10.0.0.7", Standing.KNOWN).evict()).isSameAs(stranger);
        t.remove(stranger);
        open(t, "203.0.113.10", Standing.STRANGER);
        t.remove(unproven);
        open(t, "10.0.0.8", Standing.KNOWN);
        // full with a proven, a known and a stranger: a stranger may only displace a stranger
        assertThat(t.admit("203.0.113.11", Standing.STRANGER).evict().host).isEqualTo("203.0.113.10");
    }

    @Test
    void whenEveryConnectionIsTrustedTheNewcomerIsRefused() {
        ConnectionTable t = new ConnectionTable(2, 8);
        open(t, "10.0.0.1", Standing.PROVEN);
        open(t, "10.0.0.2", Standing.KNOWN);
        ConnectionTable.Admission a = t.admit("10.9.9.9", Standing.UNPROVEN);
        assertThat(a.accept()).isFalse();
        assertThat(a.evict()).isNull();
    }

    @Test
    void atTheAddressCapTheAddressGivesWayToItself() {
        ConnectionTable t = new ConnectionTable(100, 2);
        Connection old = open(t, "10.0.0.1", Standing.PROVEN);
        Connection idle = open(t, "10.0.0.1", Standing.UNPROVEN);
        open(t, "10.0.0.2", Standing.UNPROVEN);
        ConnectionTable.Admission a = t.admit("10.0.0.1", Standing.KNOWN);
        assertThat(a.evict()).isSameAs(idle);
        assertThat(a.reason()).isEqualTo(CloseReason.ADDRESS_CAP);
        t.remove(idle);
        open(t, "10.0.0.1", Standing.PROVEN);
        // two proven ones: the longer quiet goes, a node's stale connection after its reconnect
        assertThat(t.admit("10.0.0.1", Standing.KNOWN).evict()).isSameAs(old);
        assertThat(t.admit("10.0.0.3", Standing.UNPROVEN)).isEqualTo(ConnectionTable.Admission.ACCEPT);
    }

    @Test
    void theBudgetShedsLessTrustedLinesFirstThenLargerEquals() {
        ConnectionTable t = new ConnectionTable(100, 8);
        Connection vault = holding(open(t, "10.0.0.1", Standing.PROVEN), 100_000);
        Connection bigJunk = holding(open(t, "10.9.0.1", Standing.UNPROVEN), 3_000_000);
        Connection smallJunk = holding(open(t, "10.9.0.2", Standing.UNPROVEN), 10_000);
        Connection bigProven = holding(open(t, "10.0.0.2", Standing.PROVEN), 2_000_000);
        open(t, "10.9.0.3", Standing.UNPROVEN); // holds nothing: nothing to gain
        assertThat(t.budgetVictim(vault)).isSameAs(bigJunk);
        t.remove(bigJunk);
        assertThat(t.budgetVictim(vault)).isSameAs(smallJunk);
        t.remove(smallJunk);
        assertThat(t.budgetVictim(vault)).as("an equal holding more").isSameAs(bigProven);
        assertThat(t.budgetVictim(bigProven)).as("an equal holding less is kept; the requester goes").isNull();
        Connection junk = holding(open(t, "10.9.0.4", Standing.UNPROVEN), 4_000_000);
        assertThat(t.budgetVictim(junk)).as("never a more trusted one for a junk line").isNull();
    }

    @Test
    void knownAddressesAreBounded() {
        ConnectionTable t = new ConnectionTable(10, 8);
        for (int i = 0; i < ConnectionTable.KNOWN_ADDRESSES + 10; i++) {
            t.markKnown("10.0.0." + i);
        }
        assertThat(t.isKnown("10.0.0.0")).isFalse();
        assertThat(t.isKnown("10.0.0." + (ConnectionTable.KNOWN_ADDRESSES + 9))).isTrue();
    }
}
