package io.auditrail.ingest;

import io.auditrail.ingest.Connection.Standing;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts Vault's socket audit device connections (TCP, optionally a unix domain socket) and reads them on one
 * non-blocking thread: idle connections cost a selection key, not a thread, and a slow or hostile client cannot
 * hold the others up. Every complete line goes to the {@link DiskSpool} before more is read, so reading never
 * waits on Kafka; it waits only when the spool is full under {@link SpoolFullPolicy#BLOCK}.
 *
 * <p>Who may send: a peer outside {@code ingest.allowed.cidrs} has its first line kept aside on the dead-letter
 * topic and is closed; with {@code ingest.auth.prefixes}, a line without one of the prefixes is kept aside the same
 * way, and the prefix of an accepted line is cut off before it is spooled. What a peer may hold: its connection slot
 * and its unfinished line are given up first when room runs out, by the rules of {@link ConnectionTable}, under
 * {@code ingest.max.connections}, {@code ingest.max.connections.per.address} and the {@link PartialLineBudget};
 * untrusted connections must deliver within {@code ingest.first.line.timeout.ms}, every line within
 * {@code ingest.line.timeout.ms}. Each outcome is counted ({@link IngestMetrics}); nothing here stops the process.
 */
public final class SocketAuditReceiver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SocketAuditReceiver.class);
    private static final int READ_BUFFER_BYTES = 256 << 10;
    /** Spool writes happen at least this often while data flows, and once per selector round. */
    private static final int FLUSH_BYTES = 1 << 20;
    /** What is kept of a refused line: enough to see who tried what, not a copy of whatever a stranger sends. */
    static final int REFUSED_HEAD_BYTES = 4096;
    /** Connections accepted before the open ones are read again. */
    private static final int ACCEPTS_PER_WAKEUP = 64;
    private static final long SWEEP_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final IngestConfig config;
    private final DiskSpool spool;
    private final IngestMetrics metrics;
    private final Clock clock;
    private final Selector selector;
    private final List<ServerSocketChannel> servers = new ArrayList<>();
    private final List<String> listenerNames = new ArrayList<>();
    private final List<SocketAddress> boundAddresses = new ArrayList<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER_BYTES);
    private final SpoolWriteBatch pending = new SpoolWriteBatch();
    private final RequestIdExtractor ids;
    private final PeerAllowlist allowlist;
    private final AuditPrefixes prefixes;
    private final PartialLineBudget budget;
    private final ConnectionTable table;
    private final RefusedLineRate refusedRate;
    private final LogThrottle refusedConnectionLog = new LogThrottle(WARN_EVERY_NANOS);
    private final LogThrottle refusedLineLog = new LogThrottle(WARN_EVERY_NANOS);
    private final LogThrottle shedLog = new LogThrottle(WARN_EVERY_NANOS);
    private final Thread thread;
    private Path unixSocketFile;
    private volatile boolean running = true;
    private int pendingLines;
    private long lastSweepNanos;

    /** Binds the listeners (so a port in use fails here, at start-up) and starts the reading thread. */
    public SocketAuditReceiver(IngestConfig config, DiskSpool spool, IngestMetrics metrics, Clock clock)
            throws IOException {
        this.config = config;
        this.spool = spool;
        this.metrics = metrics;
        this.clock = clock;
        this.ids = new RequestIdExtractor(config.auditPrefix());
        this.allowlist = config.allowedPeers();
        this.prefixes = config.authPrefixes();
        this.budget = new PartialLineBudget(config.partialLinesMaxBytes());
        this.table = new ConnectionTable(config.maxConnections(), config.maxConnectionsPerAddress());
        this.refusedRate = new RefusedLineRate(config.refusedMaxBytesPerSecond());
        budget.relief(this::relieve);
        metrics.bindPartialLines(budget);
        this.selector = Selector.open();
        try {
            if (config.listenAddress().isPresent()) {
                ServerSocketChannel tcp = ServerSocketChannel.open();
                tcp.bind(config.listenAddress().get(), 512);
                InetSocketAddress bound = (InetSocketAddress) tcp.getLocalAddress();
                register(tcp, "tcp://" + bound.getHostString() + ":" + bound.getPort(), bound);
                warnAboutExposure(bound);
            }
            if (config.unixSocketPath().isPresent()) {
                Path path = config.unixSocketPath().get().toAbsolutePath();
                // a socket file survives a crash and would make bind fail; nothing else should be at this path
                Files.deleteIfExists(path);
                ServerSocketChannel unix = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                unix.bind(UnixDomainSocketAddress.of(path), 512);
                unixSocketFile = path;
                register(unix, "unix://" + path, UnixDomainSocketAddress.of(path));
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly();
            throw e;
        }
        thread = new Thread(this::run, "ingest-receiver");
        thread.setDaemon(false);
        thread.start();
    }

    private void register(ServerSocketChannel server, String name, SocketAddress bound) throws IOException {
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT, name);
        servers.add(server);
        listenerNames.add(name);
        boundAddresses.add(bound);
        LOG.info("ingest listening on {} for Vault's socket audit device; peers allowed: {}; prefixes checked: {}",
                name, allowlist, prefixes.isEmpty() ? "none" : prefixes.names());
    }

    private void warnAboutExposure(InetSocketAddress bound) {
        if (bound.getAddress().isLoopbackAddress()) {
            return;
        }
        if (allowlist.blocks().stream().allMatch(b -> b.startsWith("127.") || b.startsWith("::1"))) {
            LOG.warn("ingest listens on {} but {} allows loopback peers only: Vault nodes elsewhere will be refused",
                    bound, IngestConfig.ALLOWED_CIDRS);
        }
        if (allowlist.allowsEverything() && prefixes.isEmpty()) {
            LOG.warn("ingest listens on {}, every address may connect ({}) and no prefix is checked ({}): anyone who "
                    + "reaches the port can inject audit lines", bound, IngestConfig.ALLOWED_CIDRS,
                    IngestConfig.AUTH_PREFIXES);
        }
    }

    /** The bound listener addresses (TCP with its real port; unix socket paths). */
    public List<SocketAddress> addresses() {
        return List.copyOf(boundAddresses);
    }

    /** Whether the reading thread runs (it ends on close, or on an error it cannot recover from). */
    public boolean isReading() {
        return thread.isAlive();
    }

    public List<String> listenerNames() {
        return List.copyOf(listenerNames);
    }

    private void run() {
        try {
            while (running) {
                selector.select(250);
                if (!running) {
                    break;
                }
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        accept(key);
                    } else if (key.isReadable()) {
                        read(key);
                    }
                }
                flush();
                sweep();
            }
        } catch (ClosedSelectorException e) {
            LOG.debug("receiver selector closed");
        } catch (IOException | RuntimeException | Error e) {
            // an Error too (OutOfMemoryError above all): the thread ends either way, readiness says so from now on
            LOG.error("ingest receiver stopped on an unexpected error; no longer reading from Vault", e);
        } finally {
            closeConnections();
            try {
                flush();
            } catch (RuntimeException e) {
                LOG.error("could not spool the last lines read", e);
            }
        }
    }

    private void accept(SelectionKey key) throws IOException {
        ServerSocketChannel server = (ServerSocketChannel) key.channel();
        String listener = (String) key.attachment();
        SocketChannel ch;
        // a bounded batch: a flood of connections must not keep the open ones unread (Vault's lines wait in them)
        for (int accepted = 0; accepted < ACCEPTS_PER_WAKEUP && (ch = server.accept()) != null; accepted++) {
            long now = System.nanoTime();
            SocketAddress remote = remoteAddress(ch);
            String peer;
            String host;
            Standing standing;
            if (remote instanceof InetSocketAddress inet) {
                host = inet.getAddress().getHostAddress();
                peer = host + ":" + inet.getPort();
                standing = !allowlist.allows(inet.getAddress()) ? Standing.STRANGER
                        : table.isKnown(host) ? Standing.KNOWN : Standing.UNPROVEN;
            } else {
                // a unix socket peer: the socket file's permissions already decided who may connect
                host = listener;
                peer = listener;
                standing = table.isKnown(host) ? Standing.KNOWN : Standing.UNPROVEN;
            }
            ConnectionTable.Admission admission = table.admit(host, standing);
            while (admission.evict() != null && readBeforeShedding(admission.evict())) {
                admission = table.admit(host, standing); // it had lines waiting and proved itself, or is gone
            }
            if (!admission.accept()) {
                metrics.connectionRefused();
                if (refusedConnectionLog.allow(now)) {
                    LOG.warn("refusing a connection from {} on {}: {} connections open, each of them trusted ({}); "
                            + "{} more refused since the last warning", peer, listener, table.size(),
                            IngestConfig.MAX_CONNECTIONS, refusedConnectionLog.heldBack());
                }
                ch.close();
                continue;
            }
            if (admission.evict() != null) {
                Connection gone = admission.evict();
                if (shedLog.allow(now)) {
                    LOG.warn("closing the connection from {} ({}) to admit one from {}: {}; {} more shed since the "
                            + "last warning", gone.peer, gone.standing, peer, admission.reason().tag(),
                            shedLog.heldBack());
                }
                close(gone, admission.reason());
            }
            ch.configureBlocking(false);
            LineFramer framer = standing == Standing.STRANGER ? null
                    : new LineFramer(config.rawMaxLineBytes(), config.maxLineBytes(), budget);
            Connection c = new Connection(peer, host, listener, framer, standing, now);
            if (framer == null) {
                c.head = new byte[REFUSED_HEAD_BYTES];
            }
            c.key = ch.register(selector, SelectionKey.OP_READ, c);
            table.add(c);
            metrics.connectionOpened();
            LOG.debug("connection from {} on {} ({})", peer, listener, standing);
        }
    }

    /**
     * Reads what a connection about to be shed has waiting. Vault's fresh connection is unproven until its first line
     * is read, and written lines wait in its socket buffer meanwhile: shed unread in a flood of connections, they
     * would be lost although Vault's writes succeeded; so would a reconnecting node's last lines in the connection its
     * new one displaces. True when the read changed its fate (it delivered a line and
     * proved itself, or it is gone), so the admission is decided again.
     */
    private boolean readBeforeShedding(Connection c) {
        if (c.closed) {
            return false;
        }
        Standing before = c.standing;
        read(c.key);
        return c.closed || c.standing != before;
    }

    private static SocketAddress remoteAddress(SocketChannel ch) {
        try {
            return ch.getRemoteAddress();
        } catch (IOException e) {
            return null; // a peer that is already gone; its name matters less than its data
        }
    }

    /** Lines framed by the read in progress, and those of them accepted (the sink's lambda cannot count into locals). */
    private int framedLines;
    private int acceptedLines;

    private void read(SelectionKey key) {
        Connection c = (Connection) key.attachment();
        if (c.framer == null) {
            readStranger(c);
            return;
        }
        SocketChannel ch = (SocketChannel) key.channel();
        readBuffer.clear();
        int n;
        try {
            n = ch.read(readBuffer);
        } catch (IOException e) {
            LOG.debug("read from {} failed: {}", c.peer, e.toString());
            n = -1;
        }
        if (n < 0) {
            close(c, CloseReason.PEER_CLOSED);
            return;
        }
        if (n == 0) {
            return;
        }
        long now = System.nanoTime();
        c.lastActivityNanos = now;
        metrics.bytesRead(n);
        long receivedAt = micros(clock.instant());
        framedLines = 0;
        acceptedLines = 0;
        boolean hadPartial = c.framer.hasPartial();
        c.framer.feed(readBuffer.array(), 0, n, (buf, off, len, kind, originalLength) ->
                line(c, receivedAt, buf, off, len, kind, originalLength));
        if (acceptedLines > 0) {
            c.nodeLines.increment(acceptedLines); // once per read, not per line: the hot path stays one add
        }
        if (c.framer.refusedByBudget()) {
            if (shedLog.allow(now)) {
                LOG.warn("closing the connection from {} ({}): its unfinished line does not fit {} ({} bytes held by "
                        + "all); {} more shed since the last warning", c.peer, c.standing,
                        IngestConfig.PARTIAL_LINES_MAX_BYTES, budget.used(), shedLog.heldBack());
            }
            close(c, CloseReason.PARTIAL_BUDGET);
            return;
        }
        if (!c.framer.hasPartial()) {
            c.partialSinceNanos = 0;
        } else if (!hadPartial || framedLines > 0) {
            c.partialSinceNanos = now;
        }
    }

    private void line(Connection c, long receivedAt, byte[] buf, int off, int len, LineKind kind, long originalLength) {
        framedLines++;
        int entry = -1;
        int start = off;
        int length = len;
        long original = originalLength;
        if (!prefixes.isEmpty()) {
            entry = prefixes.match(buf, off, len);
            if (entry < 0) {
                refuse(c, LineKind.PREFIX_REFUSED, receivedAt, buf, off, len, originalLength);
                return;
            }
            int p = prefixes.entry(entry).prefix().length;
            start += p;
            length -= p;
            original -= p;
        }
        byte[] requestId = kind == LineKind.RAW ? ids.requestId(buf, start, length) : null;
        pending.add(kind, receivedAt, original, c.source(prefixes, entry), c.listenerBytes, requestId, buf, start,
                length);
        pendingLines++;
        if (c.standing != Standing.PROVEN) {
            c.standing = Standing.PROVEN;
            table.markKnown(c.host);
            c.nodeLines = metrics.nodeLines(c.host);
        }
        acceptedLines++;
        if (pending.bytes() >= FLUSH_BYTES) {
            flush();
        }
    }

    /** Keeps the head of a refused line on the dead-letter topic, within the refused-line rate; counts it either way. */
    private void refuse(Connection c, LineKind kind, long receivedAt, byte[] buf, int off, int len, long originalLength) {
        int keep = Math.min(len, REFUSED_HEAD_BYTES);
        long now = System.nanoTime();
        if (refusedRate.tryTake(keep, now)) {
            pending.add(kind, receivedAt, originalLength, c.peerBytes, c.listenerBytes, null, buf, off, keep);
            pendingLines++;
        } else {
            metrics.linesRead(1);
            metrics.dropped(DropReason.REFUSED_OVER_RATE, 1);
        }
        if (refusedLineLog.allow(now)) {
            LOG.warn("refused a line from {} on {}: {} ({} kept on the dead-letter topic within {}); {} more refused "
                    + "since the last warning", c.peer, c.listener,
                    kind == LineKind.PEER_REFUSED ? "address not in " + IngestConfig.ALLOWED_CIDRS
                            : "no prefix of " + IngestConfig.AUTH_PREFIXES, kind,
                    IngestConfig.REFUSED_MAX_BYTES_PER_SECOND, refusedLineLog.heldBack());
        }
    }

    /** A peer outside the allowlist: gathers its first line (at most the head size), keeps it aside and closes. */
    private void readStranger(Connection c) {
        SocketChannel ch = (SocketChannel) c.key.channel();
        ByteBuffer into = ByteBuffer.wrap(c.head, c.headLength, c.head.length - c.headLength);
        int n;
        try {
            n = ch.read(into);
        } catch (IOException e) {
            n = -1;
        }
        if (n < 0) {
            close(c, CloseReason.PEER_REFUSED);
            return;
        }
        if (n == 0) {
            return;
        }
        long now = System.nanoTime();
        c.lastActivityNanos = now;
        if (c.partialSinceNanos == 0) {
            c.partialSinceNanos = now;
        }
        metrics.bytesRead(n);
        int nl = ByteSearch.indexOf(c.head, c.headLength, c.headLength + n, (byte) '\n');
        c.headLength = nl >= 0 ? nl : c.headLength + n;
        if (nl >= 0 || c.headLength == c.head.length) {
            close(c, CloseReason.PEER_REFUSED);
        }
    }

    /**
     * Frees partial-line budget for {@code requester}'s connection by closing connections it outranks (or equals
     * while holding less), largest unfinished line first.
     */
    private void relieve(LineFramer requester, long needed) {
        Connection asking = null;
        for (Connection c : table.connections()) {
            if (c.framer == requester) {
                asking = c;
                break;
            }
        }
        if (asking == null) {
            return;
        }
        long freed = 0;
        while (freed < needed) {
            Connection victim = table.budgetVictim(asking);
            if (victim == null) {
                return;
            }
            long held = victim.heldBytes();
            long now = System.nanoTime();
            if (shedLog.allow(now)) {
                LOG.warn("closing the connection from {} ({}, {} bytes of an unfinished line) to make room in {} for "
                        + "the line of {} ({}); {} more shed since the last warning", victim.peer, victim.standing,
                        held, IngestConfig.PARTIAL_LINES_MAX_BYTES, asking.peer, asking.standing, shedLog.heldBack());
            }
            close(victim, CloseReason.PARTIAL_BUDGET);
            freed += held;
        }
    }

    private void flush() {
        if (pending.isEmpty()) {
            return;
        }
        int lines = pendingLines;
        try {
            if (!spool.append(pending)) {
                metrics.dropped(DropReason.SPOOL_FULL, lines);
            }
        } catch (IOException e) {
            metrics.dropped(DropReason.SPOOL_WRITE_FAILED, lines);
            LOG.error("SPOOL WRITE FAILED in {}: {} lines lost: {}", spool.directory(), lines, e.toString());
        } finally {
            // counted once spooled (or dropped), so "received" never runs ahead of what a crash would keep
            metrics.linesRead(lines);
            pending.clear();
            pendingLines = 0;
        }
    }

    private void close(Connection c, CloseReason reason) {
        if (c.closed) {
            return;
        }
        c.closed = true;
        c.key.cancel();
        try {
            c.key.channel().close();
        } catch (IOException e) {
            LOG.debug("closing {}: {}", c.peer, e.toString());
        }
        if (c.framer == null) {
            keepStrangerHead(c);
        } else {
            long fragment = c.framer.discardPartial();
            if (fragment > 0) {
                // Vault re-sends the whole line after a failed write, so a fragment at close is expected: count, drop
                metrics.fragment(reason, fragment);
                if (reason == CloseReason.PEER_CLOSED) {
                    LOG.info("connection from {} closed in the middle of a line: {} bytes discarded (Vault re-sends "
                            + "the whole line on its next connection)", c.peer, fragment);
                }
            }
        }
        table.remove(c);
        metrics.connectionClosed(reason);
    }

    private void keepStrangerHead(Connection c) {
        if (c.headKept || c.headLength == 0) {
            return;
        }
        c.headKept = true;
        refuse(c, LineKind.PEER_REFUSED, micros(clock.instant()), c.head, 0, c.headLength, c.headLength);
        c.head = null;
    }

    /** Applies the idle, first-line and line deadlines, a few times a second. */
    private void sweep() {
        long now = System.nanoTime();
        if (now - lastSweepNanos < SWEEP_EVERY_NANOS) {
            return;
        }
        lastSweepNanos = now;
        long idle = config.idleTimeout().toNanos();
        long firstLine = config.firstLineTimeout().toNanos();
        long line = config.lineTimeout().toNanos();
        for (Connection c : table.snapshot()) {
            if (idle > 0 && now - c.lastActivityNanos > idle) {
                LOG.info("closing connection from {}: idle for more than {}", c.peer, config.idleTimeout());
                close(c, CloseReason.IDLE_TIMEOUT);
            } else if (firstLine > 0 && c.standing.compareTo(Standing.UNPROVEN) <= 0 && now - c.openedNanos > firstLine) {
                close(c, c.standing == Standing.STRANGER ? CloseReason.PEER_REFUSED : CloseReason.FIRST_LINE_TIMEOUT);
            } else if (line > 0 && c.partialSinceNanos != 0 && now - c.partialSinceNanos > line) {
                if (shedLog.allow(now)) {
                    LOG.warn("closing the connection from {} ({}): a line unfinished after {}; {} more shed since the "
                            + "last warning", c.peer, c.standing, config.lineTimeout(), shedLog.heldBack());
                }
                close(c, c.standing == Standing.STRANGER ? CloseReason.PEER_REFUSED : CloseReason.LINE_TIMEOUT);
            }
        }
    }

    private void closeConnections() {
        try {
            for (Connection c : table.snapshot()) {
                close(c, CloseReason.STOPPING);
            }
        } catch (ClosedSelectorException e) {
            // already closed by close()
        }
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000 + t.getNano() / 1000;
    }

    /**
     * Stops accepting and reading, spools what was read, closes every connection (counting half lines) and the
     * listeners. Vault reconnects to the next process, re-sending an interrupted line.
     */
    @Override
    public void close() {
        running = false;
        selector.wakeup();
        // a reader blocked on a full spool writes what it already read past the bound, then finishes
        spool.releaseBlockedWriters();
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.error("ingest receiver did not stop within 30 s");
        }
        closeQuietly();
    }

    private void closeQuietly() {
        for (ServerSocketChannel s : servers) {
            try {
                s.close();
            } catch (IOException e) {
                LOG.debug("closing listener: {}", e.toString());
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.debug("closing selector: {}", e.toString());
        }
        if (unixSocketFile != null) {
            try {
                Files.deleteIfExists(unixSocketFile);
            } catch (IOException e) {
                LOG.debug("removing {}: {}", unixSocketFile, e.toString());
            }
        }
    }
}
