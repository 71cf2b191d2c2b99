package io.auditrail.ingest;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * Writes lines the way Vault's socket audit device does (reference/vault-audit.md 1.5-1.6): one persistent
 * connection, one write per entry with a write deadline (Vault's {@code write_timeout}, 2 s by default), and on
 * any error: close, dial again, write the whole entry once more; a second failure is the entry's failure.
 */
final class VaultLikeClient implements AutoCloseable {
    private final SocketAddress address;
    private final long timeoutNanos;
    /** The local address to connect from (one of 127.0.0.0/8 stands for another host); null for any. */
    private final SocketAddress from;
    private SocketChannel channel;
    private Selector selector;
    private long sent;
    private long failed;
    private long resent;
    private long longestWriteNanos;

    VaultLikeClient(SocketAddress address, Duration writeTimeout) {
        this(address, writeTimeout, null);
    }

    VaultLikeClient(SocketAddress address, Duration writeTimeout, SocketAddress from) {
        this.address = address;
        this.timeoutNanos = writeTimeout.toNanos();
        this.from = from;
    }

    VaultLikeClient(SocketAddress address) {
        this(address, Duration.ofSeconds(2));
    }

    /** Sends one entry (the newline is added); false when both attempts failed, as Vault would report. */
    boolean send(byte[] line) {
        ByteBuffer framed = ByteBuffer.allocate(line.length + 1).put(line).put((byte) '\n');
        long start = System.nanoTime();
        try {
            try {
                write(framed.flip());
                sent++;
                return true;
            } catch (IOException first) {
                disconnect();
                resent++;
                try {
                    write(framed.rewind());
                    sent++;
                    return true;
                } catch (IOException second) {
                    disconnect();
                    failed++;
                    return false;
                }
            }
        } finally {
            longestWriteNanos = Math.max(longestWriteNanos, System.nanoTime() - start);
        }
    }

    private void write(ByteBuffer data) throws IOException {
        if (channel == null) {
            connect();
        }
        long deadline = System.nanoTime() + timeoutNanos;
        while (data.hasRemaining()) {
            if (channel.write(data) == 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new SocketTimeoutException("write timeout");
                }
                selector.select(Math.max(1, left / 1_000_000));
                selector.selectedKeys().clear();
            }
        }
    }

    private void connect() throws IOException {
        SocketChannel ch = address instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
        try {
            if (from != null) {
                ch.bind(from);
            }
            ch.connect(address);
            ch.configureBlocking(false);
            selector = Selector.open();
            ch.register(selector, SelectionKey.OP_WRITE);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        channel = ch;
    }

    private void disconnect() {
        try {
            if (channel != null) {
                channel.close();
            }
            if (selector != null) {
                selector.close();
            }
        } catch (IOException e) {
            // the connection is being abandoned anyway
        }
        channel = null;
        selector = null;
    }

    /** Writes raw bytes without framing or retry (for fragments, garbage, slow clients). */
    void writeRaw(byte[] bytes) throws IOException {
        write(ByteBuffer.wrap(bytes));
    }

    long sent() {
        return sent;
    }

    long failed() {
        return failed;
    }

    long resent() {
        return resent;
    }

    Duration longestWrite() {
        return Duration.ofNanos(longestWriteNanos);
    }

    @Override
    public void close() {
        disconnect();
    }
}
