package io.auditrail.ingest;

import io.auditrail.ingest.Connection.Standing;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The open connections, indexed by address, and the rules for who gives way when room runs out. The aim: whatever
 * strangers and idle junk do, Vault's reconnect gets in and Vault's lines keep their memory.
 * <ul>
 *   <li>At {@code ingest.max.connections.per.address}, a new connection from that address takes the place of that
 *   address's least trusted, longest quiet one: a node reconnecting while its old connection is not yet seen dead
 *   gets in, and one address cannot take more than its share.</li>
 *   <li>At {@code ingest.max.connections}, a new connection takes the place of the longest quiet connection that
 *   has not proven itself and is trusted no more than the newcomer (strangers first); when every open connection
 *   has delivered an accepted line (or comes from an address that has), the newcomer is refused.</li>
 *   <li>When the partial-line budget is short, the largest unfinished lines of less trusted connections go first,
 *   then larger ones of equally trusted connections; a connection is never shed for a less trusted one.</li>
 * </ul>
 * Pure bookkeeping: the receiver closes what it is told to. Receiver thread only.
 */
final class ConnectionTable {
    /** Addresses remembered as having sent accepted lines: enough for a cluster's nodes, bounded against churn. */
    static final int KNOWN_ADDRESSES = 64;

    /** What to do with a new connection: accept it, after closing {@code evict} for {@code reason} when not null. */
    record Admission(boolean accept, Connection evict, CloseReason reason) {
        static final Admission ACCEPT = new Admission(true, null, null);
        static final Admission REFUSE = new Admission(false, null, null);
    }

    private static final Comparator<Connection> FIRST_TO_GO = Comparator
            .comparing((Connection c) -> c.standing).thenComparingLong(c -> c.lastActivityNanos);

    private final int maxConnections;
    private final int maxPerAddress;
    private final Map<String, List<Connection>> byHost = new HashMap<>();
    private final List<Connection> all = new ArrayList<>();
    private final Map<String, Boolean> known = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > KNOWN_ADDRESSES;
        }
    };

    ConnectionTable(int maxConnections, int maxPerAddress) {
        this.maxConnections = maxConnections;
        this.maxPerAddress = maxPerAddress;
    }

    /** Whether a connection from {@code host} of the given standing gets in, and whom it displaces. */
    Admission admit(String host, Standing newcomer) {
        List<Connection> same = byHost.getOrDefault(host, List.of());
        if (same.size() >= maxPerAddress) {
            return new Admission(true, same.stream().min(FIRST_TO_GO).orElseThrow(), CloseReason.ADDRESS_CAP);
        }
        if (all.size() < maxConnections) {
            return Admission.ACCEPT;
        }
        Standing sheddable = newcomer.compareTo(Standing.UNPROVEN) < 0 ? newcomer : Standing.UNPROVEN;
        return all.stream().filter(c -> c.standing.compareTo(sheddable) <= 0).min(FIRST_TO_GO)
                .map(c -> new Admission(true, c, CloseReason.EVICTED)).orElse(Admission.REFUSE);
    }

    void add(Connection c) {
        all.add(c);
        byHost.computeIfAbsent(c.host, h -> new ArrayList<>(2)).add(c);
    }

    void remove(Connection c) {
        all.remove(c);
        List<Connection> same = byHost.get(c.host);
        if (same != null) {
            same.remove(c);
            if (same.isEmpty()) {
                byHost.remove(c.host);
            }
        }
    }

    int size() {
        return all.size();
    }

    /** A snapshot, so the caller may close connections while going through it. */
    List<Connection> snapshot() {
        return new ArrayList<>(all);
    }

    Collection<Connection> connections() {
        return all;
    }

    boolean isKnown(String host) {
        return known.containsKey(host);
    }

    void markKnown(String host) {
        known.put(host, Boolean.TRUE);
    }

    /**
     * The next connection to shed so that {@code requester}'s unfinished line may grow: one holding bytes that is
     * less trusted (the largest first), else one as trusted holding more than the requester; null when none, and
     * then the requester is the one to go.
     */
    Connection budgetVictim(Connection requester) {
        Connection best = null;
        for (Connection c : all) {
            if (c == requester || c.heldBytes() == 0) {
                continue;
            }
            int order = c.standing.compareTo(requester.standing);
            if (order > 0 || order == 0 && c.heldBytes() <= requester.heldBytes()) {
                continue;
            }
            if (best == null || c.standing.compareTo(best.standing) < 0
                    || c.standing == best.standing && c.heldBytes() > best.heldBytes()) {
                best = c;
            }
        }
        return best;
    }
}
