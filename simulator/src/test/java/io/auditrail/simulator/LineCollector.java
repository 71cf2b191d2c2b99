package io.auditrail.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plain TCP receiver for tests: accepts any number of connections, splits each on {@code \n}, keeps whole lines
 * per connection and counts the unterminated fragment a connection may end with (discarded, as ingest does).
 * Connections can be held (not read) until released, to make a writer's buffers fill up.
 */
final class LineCollector implements AutoCloseable {
    final ServerSocket server;
    final List<Connection> connections = new CopyOnWriteArrayList<>();
    final AtomicInteger fragments = new AtomicInteger();
    private final Thread acceptor;
    volatile int holdConnections;
    final CountDownLatch release = new CountDownLatch(1);

    final class Connection {
        final Socket socket;
        final List<byte[]> lines = Collections.synchronizedList(new ArrayList<>());
        volatile boolean ended;

        Connection(Socket socket) {
            this.socket = socket;
        }
    }

    LineCollector() throws IOException {
        server = new ServerSocket();
        server.setReceiveBufferSize(8192); // small, so a held connection fills quickly
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        acceptor = new Thread(this::accept, "collector-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Connection c = new Connection(s);
                boolean held = connections.size() < holdConnections;
                connections.add(c);
                Thread t = new Thread(() -> read(c, held), "collector-read-" + connections.size());
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void read(Connection c, boolean held) {
        byte[] buf = new byte[65536];
        byte[] partial = new byte[0];
        try (Socket s = c.socket; InputStream in = s.getInputStream()) {
            if (held) {
                release.await();
            }
            int n;
            while ((n = in.read(buf)) >= 0) {
                int from = 0;
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        byte[] line = new byte[partial.length + i - from];
                        System.arraycopy(partial, 0, line, 0, partial.length);
                        System.arraycopy(buf, from, line, partial.length, i - from);
                        c.lines.add(line);
                        partial = new byte[0];
                        from = i + 1;
                    }
                }
                byte[] rest = Arrays.copyOf(partial, partial.length + n - from);
                System.arraycopy(buf, from, rest, partial.length, n - from);
                partial = rest;
            }
        } catch (IOException e) {
            // a reset connection ends like a closed one
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (partial.length > 0) {
                fragments.incrementAndGet(); // a torn line: never accepted as a whole one
            }
            c.ended = true;
        }
    }

    /** Every whole line received, connection by connection in the order they were accepted. */
    List<byte[]> lines() {
        List<byte[]> all = new ArrayList<>();
        for (Connection c : connections) {
            synchronized (c.lines) {
                all.addAll(c.lines);
            }
        }
        return all;
    }

    int lineCount() {
        int n = 0;
        for (Connection c : connections) {
            n += c.lines.size();
        }
        return n;
    }

    boolean allEnded() {
        return connections.stream().allMatch(c -> c.ended);
    }

    @Override
    public void close() throws IOException {
        release.countDown();
        server.close();
        for (Connection c : connections) {
            c.socket.close();
        }
    }
}
