package io.auditrail.ingest;

import io.micrometer.core.instrument.Counter;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts Vault's socket audit device connections (TCP, optionally a unix domain socket) and reads them on one
 * non-blocking thread: idle connections cost a selection key, not a thread, and a slow or hostile client cannot
 * hold the others up. Every complete line goes to the {@link DiskSpool} before more is read, so reading never
 * waits on Kafka; it waits only when the spool is full under {@link SpoolFullPolicy#BLOCK}.
 */
public final class SocketAuditReceiver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SocketAuditReceiver.class);
    private static final int READ_BUFFER_BYTES = 256 << 10;
    /** Spool writes happen at least this often while data flows, and once per selector round. */
    private static final int FLUSH_BYTES = 1 << 20;

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
    private final Thread thread;
    private Path unixSocketFile;
    private volatile boolean running = true;
    private int open;
    private int pendingLines;
    private long lastIdleSweepNanos;

    /** Binds the listeners (so a port in use fails here, at start-up) and starts the reading thread. */
    public SocketAuditReceiver(IngestConfig config, DiskSpool spool, IngestMetrics metrics, Clock clock)
            throws IOException {
        this.config = config;
        this.spool = spool;
        this.metrics = metrics;
        this.clock = clock;
        this.ids = new RequestIdExtractor(config.auditPrefix());
        this.selector = Selector.open();
        try {
            if (config.listenAddress().isPresent()) {
                ServerSocketChannel tcp = ServerSocketChannel.open();
                tcp.bind(config.listenAddress().get(), 512);
                InetSocketAddress bound = (InetSocketAddress) tcp.getLocalAddress();
                register(tcp, "tcp://" + bound.getHostString() + ":" + bound.getPort(), bound);
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
        LOG.info("ingest listening on {} for Vault's socket audit device", name);
    }

    /** The bound listener addresses (TCP with its real port; unix socket paths). */
    public List<SocketAddress> addresses() {
        return List.copyOf(boundAddresses);
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
                sweepIdle();
            }
        } catch (ClosedSelectorException e) {
            LOG.debug("receiver selector closed");
        } catch (IOException | RuntimeException e) {
            LOG.error("ingest receiver stopped on an unexpected error; no longer reading from Vault", e);
        } finally {
            try {
                flush();
            } catch (RuntimeException e) {
                LOG.error("could not spool the last lines read", e);
            }
            closeConnections();
        }
    }

    private void accept(SelectionKey key) throws IOException {
        ServerSocketChannel server = (ServerSocketChannel) key.channel();
        SocketChannel ch;
        while ((ch = server.accept()) != null) {
            if (open >= config.maxConnections()) {
                metrics.connectionRefused();
                LOG.warn("refusing a connection on {}: {} connections open (ingest.max.connections)",
                        key.attachment(), open);
                ch.close();
                continue;
            }
            ch.configureBlocking(false);
            String listener = (String) key.attachment();
            String peer = peerName(ch, listener);
            Connection c = new Connection(peer, listener, new LineFramer(config.rawMaxLineBytes(), config.maxLineBytes()),
                    metrics.nodeLines(node(peer)));
            ch.register(selector, SelectionKey.OP_READ, c);
            open++;
            metrics.connectionOpened();
            LOG.debug("connection from {} on {}", peer, listener);
        }
    }

    /** The Vault node of a peer name: its address without the port, which changes with every reconnect. */
    private static String node(String peer) {
        int colon = peer.lastIndexOf(':');
        return colon > 0 && !peer.contains("://") ? peer.substring(0, colon) : peer;
    }

    private static String peerName(SocketChannel ch, String listener) {
        try {
            SocketAddress remote = ch.getRemoteAddress();
            if (remote instanceof InetSocketAddress inet) {
                return inet.getAddress().getHostAddress() + ":" + inet.getPort();
            }
        } catch (IOException e) {
            // a peer that is already gone; its name matters less than its data
        }
        return listener;
    }

    /** Lines framed by the read in progress (the framer's callback cannot count into a local). */
    private int framedLines;

    private void read(SelectionKey key) {
        SocketChannel ch = (SocketChannel) key.channel();
        Connection c = (Connection) key.attachment();
        readBuffer.clear();
        int n;
        try {
            n = ch.read(readBuffer);
        } catch (IOException e) {
            LOG.debug("read from {} failed: {}", c.peer, e.toString());
            n = -1;
        }
        if (n < 0) {
            close(key, c);
            return;
        }
        if (n == 0) {
            return;
        }
        c.lastActivityNanos = System.nanoTime();
        metrics.bytesRead(n);
        long receivedAt = micros(clock.instant());
        framedLines = 0;
        c.framer.feed(readBuffer.array(), 0, n, (buf, off, len, kind, originalLength) -> {
            byte[] requestId = kind == LineKind.RAW ? ids.requestId(buf, off, len) : null;
            pending.add(kind, receivedAt, originalLength, c.peerBytes, c.listenerBytes, requestId, buf, off, len);
            pendingLines++;
            framedLines++;
            if (pending.bytes() >= FLUSH_BYTES) {
                flush();
            }
        });
        if (framedLines > 0) {
            c.nodeLines.increment(framedLines); // once per read, not per line: the hot path stays one add
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

    private void close(SelectionKey key, Connection c) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException e) {
            LOG.debug("closing {}: {}", c.peer, e.toString());
        }
        long fragment = c.framer.discardPartial();
        if (fragment > 0) {
            // Vault re-sends the whole line after a failed write, so a fragment at close is expected: count, drop
            metrics.fragment(fragment);
            LOG.info("connection from {} closed in the middle of a line: {} bytes discarded (Vault re-sends the "
                    + "whole line on its next connection)", c.peer, fragment);
        }
        open--;
        metrics.connectionClosed();
    }

    private void sweepIdle() {
        long timeout = config.idleTimeout().toNanos();
        long now = System.nanoTime();
        if (timeout == 0 || now - lastIdleSweepNanos < 1_000_000_000L) {
            return;
        }
        lastIdleSweepNanos = now;
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof Connection c && key.isValid() && now - c.lastActivityNanos > timeout) {
                LOG.info("closing connection from {}: idle for more than {}", c.peer, config.idleTimeout());
                close(key, c);
            }
        }
    }

    private void closeConnections() {
        try {
            for (SelectionKey key : selector.keys()) {
                if (key.attachment() instanceof Connection c && key.isValid()) {
                    close(key, c);
                }
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

    private static final class Connection {
        final String peer;
        final byte[] peerBytes;
        final byte[] listenerBytes;
        final LineFramer framer;
        final Counter nodeLines;
        long lastActivityNanos = System.nanoTime();

        Connection(String peer, String listener, LineFramer framer, Counter nodeLines) {
            this.peer = peer;
            this.peerBytes = peer.getBytes(StandardCharsets.UTF_8);
            this.listenerBytes = listener.getBytes(StandardCharsets.UTF_8);
            this.framer = framer;
            this.nodeLines = nodeLines;
        }
    }
}
