package io.auditrail.bench.e2e;

import io.auditrail.index.Migrations;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The index ceiling: the rows the pipeline indexed in this run, copied out, then raw-COPYed in one stream into an
 * identical, empty {@code audit_event} (same migrations, same day partitions, same indexes) in a second database of
 * the same PostgreSQL server: no staging table, no conflict check, no Kafka. The approach of index's
 * {@code IndexBenchmark}, on this run's own rows.
 */
public final class CopyCeiling {
    /** Rows copied and the seconds the COPY took (copying out is not counted). */
    public record Result(long rows, double seconds) {
        public double perSecond() {
            return rows / seconds;
        }
    }

    private CopyCeiling() {
    }

    public static Result run(String url, String user, String password) throws Exception {
        String copyUrl = url.replaceFirst("/[^/?]+(\\?|$)", "/bench_copy$1");
        List<String> partitions = new ArrayList<>();
        // through a file: a run's rows (about 1 KB each) outgrow the benchmark's heap from a few hundred thousand on
        Path rows = Files.createTempFile("bench-copy-", ".rows");
        try {
            return run(url, user, password, copyUrl, partitions, rows);
        } finally {
            Files.deleteIfExists(rows);
        }
    }

    private static Result run(String url, String user, String password, String copyUrl, List<String> partitions,
                              Path rows) throws Exception {
        String columns;
        long count;
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE bench_copy");
            try (ResultSet rs = s.executeQuery("SELECT string_agg(column_name, ', ' ORDER BY ordinal_position) "
                    + "FROM information_schema.columns WHERE table_name = 'audit_event' AND column_name <> 'indexed_at'")) {
                rs.next();
                columns = rs.getString(1);
            }
            try (ResultSet rs = s.executeQuery("SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
                    + "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'audit_event'::regclass")) {
                while (rs.next()) {
                    partitions.add("CREATE TABLE IF NOT EXISTS " + rs.getString(1) + " PARTITION OF audit_event "
                            + rs.getString(2));
                }
            }
            try (OutputStream out = Files.newOutputStream(rows)) {
                count = c.unwrap(PGConnection.class).getCopyAPI()
                        .copyOut("COPY (SELECT " + columns + " FROM audit_event) TO STDOUT", out);
            }
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(copyUrl);
        ds.setUser(user);
        ds.setPassword(password);
        Migrations.migrate(ds);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String ddl : partitions) {
                s.execute(ddl);
            }
            // the file was just written and is in the page cache: reading it costs the timed COPY little
            long t0 = System.nanoTime();
            long copied;
            try (InputStream in = Files.newInputStream(rows)) {
                copied = c.unwrap(PGConnection.class).getCopyAPI()
                        .copyIn("COPY audit_event (" + columns + ") FROM STDIN", in, 1 << 20);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (copied != count) {
                throw new IllegalStateException("raw COPY took " + copied + " of " + count + " rows");
            }
            return new Result(copied, seconds);
        }
    }
}
