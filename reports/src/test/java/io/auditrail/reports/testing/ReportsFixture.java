package io.auditrail.reports.testing;

import io.auditrail.archive.ArchiveConfig;
import io.auditrail.archive.ArchiveKeys;
import io.auditrail.archive.ObjectKey;
import io.auditrail.core.config.CoreConfig;
import io.auditrail.core.config.Settings;
import io.auditrail.embedded.EmbeddedPostgres;
import io.auditrail.embedded.EmbeddedS3;
import io.auditrail.index.DatabaseRoles;
import io.auditrail.index.EventPartition;
import io.auditrail.reports.ReportsConfig;
import io.auditrail.index.Migrations;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.postgresql.ds.PGSimpleDataSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One test class's world on the shared services: a fresh migrated database with the day partitions of the last four
 * days, a bucket, an archive key pair, and the settings that point the API at them, logged in as serve's own role
 * (auditrail_serve, sql/V23) as deployed. Rows are written with SQL as the database's owner, the way the index stage
 * leaves them.
 */
public final class ReportsFixture {
    public final String jdbcUrl;
    public final String user;
    public final String bucket = "reports-" + UUID.randomUUID().toString().substring(0, 8);
    public final Settings settings;
    public final PGSimpleDataSource dataSource;
    /** The archive's chain key pair: the archiver's private key (not in {@link #settings}) and its public key. */
    public final Path chainPrivateKey;
    public final Path chainPublicKey;
    private final EmbeddedS3 s3;
    private ArchiveWriter archive;

    private ReportsFixture(String jdbcUrl, String user, EmbeddedS3 s3, Path keyDir) throws IOException {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.s3 = s3;
        s3.ensureBucket(bucket);
        chainPrivateKey = keyDir.resolve("archive.key");
        chainPublicKey = keyDir.resolve("archive.pub");
        ArchiveKeys.generate(chainPrivateKey, chainPublicKey);
        Map<String, String> s = new HashMap<>();
        s.put(CoreConfig.POSTGRES_URL, jdbcUrl);
        s.put(CoreConfig.POSTGRES_USER, user);
        s.put(CoreConfig.POSTGRES_PASSWORD, "");
        s.put(ReportsConfig.POSTGRES_USER, DatabaseRoles.SERVE);
        s.put(CoreConfig.S3_ENDPOINT, s3.endpoint().toString());
        s.put(CoreConfig.S3_ACCESS_KEY, s3.accessKey());
        s.put(CoreConfig.S3_SECRET_KEY, s3.secretKey());
        s.put(CoreConfig.S3_REGION, s3.region());
        s.put(CoreConfig.S3_BUCKET, bucket);
        s.put(ArchiveConfig.PUBLIC_KEY_FILE, chainPublicKey.toString());
        settings = Settings.of(s);
        dataSource = new PGSimpleDataSource();
        dataSource.setURL(jdbcUrl);
        dataSource.setUser(user);
    }

    public static ReportsFixture create(EmbeddedPostgres pg, EmbeddedS3 s3, Path keyDir) throws Exception {
        String name = "rp_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        String url = pg.jdbcUrl().substring(0, pg.jdbcUrl().lastIndexOf('/') + 1) + name;
        DatabaseRoles.ALL.forEach(pg::ensureLoginRole);
        ReportsFixture f = new ReportsFixture(url, pg.username(), s3, keyDir);
        Migrations.migrate(f.dataSource);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        try (Connection c = f.dataSource.getConnection(); Statement st = c.createStatement()) {
            for (int d = -4; d <= 1; d++) {
                EventPartition p = new EventPartition(today.plusDays(d));
                st.execute("CREATE TABLE " + p.tableName() + " PARTITION OF audit_event FOR VALUES FROM ('"
                        + p.from() + "') TO ('" + p.to() + "')");
            }
        }
        return f;
    }

    /** An event row as the index writes it; {@code raw} may be null. */
    public record Event(UUID id, Instant time, String tenant, String operation, String path, String outcome,
                 String entityId, String displayName, Integer rawPartition, Long rawOffset) {
    }

    public void insert(List<Event> events) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO audit_event (event_id, event_time, tenant_id, "
                     + "tenant_source, type, request_id, operation, path, outcome, actor_entity_id, "
                     + "actor_display_name, remote_address, raw_partition, raw_offset, detail) "
                     + "VALUES (?, ?, ?, ?, 'request', ?, ?, ?, ?, ?, ?, '10.0.0.1', ?, ?, ?::jsonb)")) {
            for (Event e : events) {
                ps.setObject(1, e.id());
                ps.setObject(2, OffsetDateTime.ofInstant(e.time(), ZoneOffset.UTC));
                ps.setString(3, e.tenant());
                ps.setString(4, e.tenant() == null ? "none" : "metadata");
                ps.setString(5, UUID.randomUUID().toString());
                ps.setString(6, e.operation());
                ps.setString(7, e.path());
                ps.setString(8, e.outcome());
                ps.setString(9, e.entityId());
                ps.setString(10, e.displayName());
                ps.setObject(11, e.rawPartition());
                ps.setObject(12, e.rawOffset());
                ps.setString(13, "{\"schema\":1,\"actor\":{\"policies\":[\"default\"]}}");
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public void insertAnomaly(UUID id, String tenant, String rule, String severity, Instant windowStart, UUID eventId)
            throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO anomaly (anomaly_id, rule, severity, tenant_id, "
                     + "actor, event_ids, window_start, window_end, fired_count, revision, description) "
                     + "VALUES (?, ?, ?, ?, 'entity-x', ?, ?, ?, 1, 1, 'seeded')")) {
            ps.setObject(1, id);
            ps.setString(2, rule);
            ps.setString(3, severity);
            ps.setString(4, tenant);
            ps.setArray(5, c.createArrayOf("uuid", new Object[] {eventId}));
            ps.setObject(6, OffsetDateTime.ofInstant(windowStart, ZoneOffset.UTC));
            ps.setObject(7, OffsetDateTime.ofInstant(windowStart.plusSeconds(60), ZoneOffset.UTC));
            ps.executeUpdate();
        }
    }

    /**
     * Stores lines as one archive object of partition {@code partition} from {@code firstOffset}, and a signed digest
     * listing it, recorded as the chain head: as the archiver would.
     */
    public void archive(int partition, long firstOffset, Instant time, List<byte[]> lines) throws IOException {
        Instant t = time.truncatedTo(ChronoUnit.MILLIS);
        ObjectKey key = new ObjectKey(t, t, partition, firstOffset, firstOffset + lines.size() - 1);
        if (archive == null) {
            archive = new ArchiveWriter(settings, ArchiveKeys.readPrivateKey(chainPrivateKey));
        }
        archive.digest(List.of(archive.object(key, lines)), Instant.now());
    }

    /** Overwrites an object in the bucket, as someone with write access to it could. */
    public void overwrite(String key, byte[] body) {
        try (S3Client client = S3Client.builder().endpointOverride(URI.create(s3.endpoint().toString()))
                .region(Region.of(s3.region())).forcePathStyle(true)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(),
                        s3.secretKey()))).build()) {
            client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(body));
        }
    }

    public List<Map<String, Object>> rows(String sql, Object... params) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (var rs = ps.executeQuery()) {
                var md = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new HashMap<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        row.put(md.getColumnLabel(i), rs.getObject(i));
                    }
                    out.add(row);
                }
            }
        }
        return out;
    }

    public long count(String sql, Object... params) throws SQLException {
        return ((Number) rows(sql, params).get(0).values().iterator().next()).longValue();
    }
}
