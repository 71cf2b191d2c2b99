package io.auditrail.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Port choice and checks on 127.0.0.1, the only interface the embedded services listen on. */
public final class LoopbackPorts {
    public static final String HOST = "127.0.0.1";

    private LoopbackPorts() {
    }

    /** The requested port, or a free one when 0 was asked for. */
    public static int resolve(int requested) {
        if (requested != 0) {
            return requested;
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + HOST, e);
        }
    }

    /**
     * Fails with a readable message if the port is taken: the servers themselves report it deep in a stack
     * trace (Kafka) or only in a log file (PostgreSQL).
     */
    static void requireFree(int port, String service) {
        try (ServerSocket socket = new ServerSocket()) {
            // the servers set SO_REUSEADDR too, so a port in TIME_WAIT after our own stop() still counts as free
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
        } catch (IOException e) {
            throw new IllegalStateException(service + ": port " + HOST + ":" + port + " is already in use", e);
        }
    }

    static void requireValid(int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 (pick a free one) or 1-65535, got " + port);
        }
    }
}
