package io.auditrail.simulator;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes audit lines as Vault's socket audit device does (reference/vault-audit.md 1.5, 1.6): one persistent TCP
 * connection, opened lazily on the first write; the write timeout bounds both the dial and each write; on any
 * error the connection is closed, re-dialled and the whole line written once more, and if that fails too the line
 * is lost (Vault then fails the client's request).
 *
 * <p>One deviation, so the simulator's counts mean what a receiver could have read: before each write it checks
 * whether the receiver has closed its end (a FIN already arrived) and reconnects first. Vault would write into the
 * half-closed connection and lose that line without an error. Not thread-safe: one per node (Vault serialises
 * writes per device too).
 */
public final class VaultSocketClient implements Closeable {
    private final InetSocketAddress target;
    private final long timeoutNanos;
    private final long cutEvery;
    private final ByteBuffer probe = ByteBuffer.allocate(64);
    private SocketChannel channel;
    private Selector selector;
    private boolean everConnected;
    private long attempts;

    private final AtomicLong linesWritten = new AtomicLong();
    private final AtomicLong resends = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong cuts = new AtomicLong();

    /** @param cutMidLineEvery fault injection: cut every n-th line half-way (0: never); see {@link SimulationPlan} */
    public VaultSocketClient(InetSocketAddress target, Duration writeTimeout, long cutMidLineEvery) {
        this.target = target;
        this.timeoutNanos = writeTimeout.toNanos();
        this.cutEvery = cutMidLineEvery;
    }

    public VaultSocketClient(InetSocketAddress target, Duration writeTimeout) {
        this(target, writeTimeout, 0);
    }

    /**
     * Writes one line (the JSON and its {@code \n}).
     *
     * @return true when the line was written, first time or on the one resend; false when both failed
     */
    public boolean write(byte[] line) {
        attempts++;
        try {
            if (channel != null && peerClosed()) {
                disconnect();
            }
            ensureConnected();
            if (cutEvery > 0 && attempts % cutEvery == 0) {
                cut(line);
            }
            writeFully(ByteBuffer.wrap(line));
            linesWritten.incrementAndGet();
            return true;
        } catch (IOException first) {
            disconnect();
        }
        // "We will try to reconnect and retry a single write" (Vault's sink_socket.go)
        resends.incrementAndGet();
        try {
            ensureConnected();
            writeFully(ByteBuffer.wrap(line));
            linesWritten.incrementAndGet();
            return true;
        } catch (IOException second) {
            disconnect();
            failures.incrementAndGet();
            return false;
        }
    }

    /** Writes the first half of the line, then drops the connection, as a broken network path would. */
    private void cut(byte[] line) throws IOException {
        writeFully(ByteBuffer.wrap(line, 0, line.length / 2));
        cuts.incrementAndGet();
        throw new IOException("connection cut mid-line (fault injection)");
    }

    private void ensureConnected() throws IOException {
        if (channel != null) {
            return;
        }
        SocketChannel ch = SocketChannel.open();
        Selector sel = Selector.open();
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true); // Go's default for TCP connections
            long deadline = System.nanoTime() + timeoutNanos;
            if (!ch.connect(target)) {
                ch.register(sel, SelectionKey.OP_CONNECT);
                while (!ch.finishConnect()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new SocketTimeoutException("dial " + target + ": i/o timeout");
                    }
                    sel.select(Math.max(1, left / 1_000_000));
                    sel.selectedKeys().clear();
                }
            }
            SelectionKey key = ch.keyFor(sel);
            if (key != null) {
                key.interestOps(SelectionKey.OP_WRITE);
            } else {
                ch.register(sel, SelectionKey.OP_WRITE);
            }
        } catch (IOException | RuntimeException e) {
            sel.close();
            ch.close();
            throw e;
        }
        channel = ch;
        selector = sel;
        if (everConnected) {
            reconnects.incrementAndGet();
        }
        everConnected = true;
    }

    /** Writes all of {@code buf} before the write deadline, as Go's SetWriteDeadline + Write. */
    private void writeFully(ByteBuffer buf) throws IOException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (buf.hasRemaining()) {
            if (channel.write(buf) > 0 || !buf.hasRemaining()) {
                continue;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("write " + target + ": i/o timeout");
            }
            selector.select(Math.max(1, left / 1_000_000));
            selector.selectedKeys().clear();
        }
    }

    /** Whether the receiver has closed its end (or reset the connection); it never sends data. */
    private boolean peerClosed() {
        try {
            probe.clear();
            return channel.read(probe) < 0;
        } catch (IOException e) {
            return true;
        }
    }

    private void disconnect() {
        try {
            if (selector != null) {
                selector.close();
            }
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // closing a broken connection: nothing left to save
        }
        selector = null;
        channel = null;
    }

    @Override
    public void close() {
        disconnect();
    }

    public long linesWritten() {
        return linesWritten.get();
    }

    /** Lines written a second time after an error on the first attempt. */
    public long resends() {
        return resends.get();
    }

    /** Connections opened after the first. */
    public long reconnects() {
        return reconnects.get();
    }

    /** Lines lost: both attempts failed. */
    public long failures() {
        return failures.get();
    }

    /** Lines cut half-way by fault injection. */
    public long cuts() {
        return cuts.get();
    }
}
