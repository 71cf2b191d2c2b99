package io.auditrail.embedded.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.auditrail.embedded.EmbeddedKafka;
import io.auditrail.embedded.EmbeddedPostgres;
import io.auditrail.embedded.EmbeddedS3;

/** The services of one test run, each started on first request, all in one temporary directory removed on close. */
final class SharedServices implements AutoCloseable {
    private final Map<Class<?>, AutoCloseable> started = new LinkedHashMap<>();
    private Path dataDir;

    synchronized Object get(Class<?> type) {
        AutoCloseable service = started.get(type);
        if (service == null) {
            service = start(type);
            started.put(type, service);
        }
        return service;
    }

    /** The temporary directory, or null before the first service started. */
    synchronized Path dataDir() {
        return dataDir;
    }

    private AutoCloseable start(Class<?> type) {
        Path base = dataDir();
        if (base == null) {
            try {
                base = Files.createTempDirectory("auditrail-embedded-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temporary directory for the embedded services", e);
            }
            dataDir = base;
        }
        if (type == EmbeddedKafka.class) {
            return new EmbeddedKafka(EmbeddedKafka.Config.of(base.resolve("kafka"))).start();
        }
        if (type == EmbeddedPostgres.class) {
            return new EmbeddedPostgres(EmbeddedPostgres.Config.of(base.resolve("postgres"))).start();
        }
        if (type == EmbeddedS3.class) {
            return new EmbeddedS3(EmbeddedS3.Config.of(base.resolve("s3"))).start();
        }
        throw new IllegalArgumentException("not an embedded service: " + type.getName());
    }

    @Override
    public synchronized void close() {
        List<AutoCloseable> services = new ArrayList<>(started.values());
        started.clear();
        List<Exception> failures = new ArrayList<>();
        for (int i = services.size() - 1; i >= 0; i--) {
            try {
                services.get(i).close();
            } catch (Exception e) {
                failures.add(e);
            }
        }
        if (dataDir != null) {
            try {
                deleteRecursively(dataDir);
            } catch (IOException e) {
                failures.add(e);
            }
            dataDir = null;
        }
        if (!failures.isEmpty()) {
            IllegalStateException failure = new IllegalStateException(
                    "stopping the shared embedded services failed: " + failures.get(0).getMessage(), failures.get(0));
            failures.stream().skip(1).forEach(failure::addSuppressed);
            throw failure;
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
