package io.auditrail.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Properties;

import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An S3-compatible server (s3proxy) inside this JVM, storing objects as plain files in a directory. */
public final class EmbeddedS3 implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedS3.class);

    /**
     * Where and how the server runs.
     *
     * @param dataDir   one sub-directory per bucket, one file per object; kept across restarts
     * @param port      port on 127.0.0.1, 0 for a free one (kept for later restarts of this instance)
     * @param accessKey the only accepted access key (AWS signature V2 or V4)
     * @param secretKey its secret
     */
    public record Config(Path dataDir, int port, String accessKey, String secretKey) {
        public Config {
            Objects.requireNonNull(dataDir, "dataDir");
            LoopbackPorts.requireValid(port);
            if (accessKey == null || accessKey.isBlank() || secretKey == null || secretKey.isBlank()) {
                throw new IllegalArgumentException("accessKey and secretKey must not be blank");
            }
        }

        public static Config of(Path dataDir) {
            return new Config(dataDir, 0, "auditrail", "auditrail-secret");
        }

        public Config withPort(int newPort) {
            return new Config(dataDir, newPort, accessKey, secretKey);
        }

        public Config withCredentials(String newAccessKey, String newSecretKey) {
            return new Config(dataDir, port, newAccessKey, newSecretKey);
        }

        /** Stops a secret from reaching logs through a record's generated toString. */
        @Override
        public String toString() {
            return "Config[dataDir=" + dataDir + ", port=" + port + ", accessKey=" + accessKey + "]";
        }
    }

    private final Config config;
    private int port;
    private BlobStore blobStore;
    private S3Proxy proxy;

    public EmbeddedS3(Config config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public synchronized EmbeddedS3 start() {
        if (proxy != null) {
            return this;
        }
        if (port == 0) {
            port = LoopbackPorts.resolve(config.port());
        }
        LoopbackPorts.requireFree(port, "S3");
        try {
            Files.createDirectories(config.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("S3: cannot create " + config.dataDir(), e);
        }
        Properties p = new Properties();
        p.setProperty("jclouds.filesystem.basedir", config.dataDir().toString());
        p.setProperty("jclouds.identity", config.accessKey());
        p.setProperty("jclouds.credential", config.secretKey());
        BlobStore store = BlobStores.create("filesystem", p);
        S3Proxy starting = S3Proxy.builder()
                .blobStore(store)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, config.accessKey(), config.secretKey())
                .endpoint(URI.create("http://" + LoopbackPorts.HOST + ":" + port))
                // no graceful drain: it waits 2 s for clients' idle keep-alive connections, and a request still
                // in flight at stop() is the caller's bug (stop the writers first)
                .stopTimeout(0)
                .build();
        try {
            starting.start();
        } catch (Exception e) {
            IllegalStateException failure =
                    new IllegalStateException("S3 failed to start on " + endpoint() + ": " + e.getMessage(), e);
            try {
                starting.stop();
            } catch (Exception cleanup) {
                failure.addSuppressed(cleanup);
            }
            store.close();
            throw failure;
        }
        blobStore = store;
        proxy = starting;
        LOG.info("S3 listening on {} (access key {}, data {})", endpoint(), config.accessKey(), config.dataDir());
        return this;
    }

    /** Stops the server; objects stay on disk, and {@link #start()} brings it back on the same port. */
    public synchronized void stop() {
        if (proxy == null) {
            return;
        }
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("S3 on " + endpoint() + " did not stop cleanly: " + e.getMessage(), e);
        } finally {
            blobStore.close();
            proxy = null;
            blobStore = null;
        }
        LOG.debug("S3 on {} stopped", endpoint());
    }

    @Override
    public void close() {
        stop();
    }

    /** Creates the bucket unless it exists already. */
    public synchronized void ensureBucket(String bucket) {
        if (blobStore == null) {
            throw new IllegalStateException("S3 is not running");
        }
        if (!blobStore.containerExists(bucket)) {
            blobStore.createContainer(bucket);
        }
    }

    public synchronized boolean isRunning() {
        return proxy != null;
    }

    /** http://127.0.0.1:PORT; the port is known after the first {@link #start()}. */
    public synchronized URI endpoint() {
        return URI.create("http://" + LoopbackPorts.HOST + ":" + port);
    }

    public synchronized int port() {
        return port;
    }

    public String accessKey() {
        return config.accessKey();
    }

    public String secretKey() {
        return config.secretKey();
    }

    /** The region clients sign requests for. */
    public String region() {
        return "us-east-1";
    }

    public Path dataDir() {
        return config.dataDir();
    }
}
