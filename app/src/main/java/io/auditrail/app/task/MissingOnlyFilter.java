package io.auditrail.app.task;

import io.auditrail.core.config.Settings;
import io.auditrail.core.entry.AuditEntry;
import io.auditrail.core.parse.AuditEntryParser;
import io.auditrail.core.parse.MalformedEntryException;
import io.auditrail.index.IndexConfig;
import io.auditrail.index.PostgresSettings;
import io.auditrail.ingest.FileImporter;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code import --missing-only}: sends a file-device line only when the index holds no event with its type and
 * request id. Matching on the time as well, as the event id does, is not enough: OpenBao writes a different
 * {@code time} in each device's copy of one entry (file and socket), so a plain import of the file device after an
 * outage would add a second row for every entry the socket device did deliver. Run it once the pipeline has caught
 * up (index lag 0): a line still in Kafka but not yet indexed would be sent again.
 */
final class MissingOnlyFilter implements FileImporter.LineFilter {
    /** The pipeline's own parser: what it cannot read goes to the DLQ either way, so it is always sent. */
    private static final AuditEntryParser PARSER = new AuditEntryParser();
    /** Looked up around the files' own times: the socket copy's time differs by less than this. */
    private static final Duration SLACK = Duration.ofMinutes(10);
    private final Set<String> indexed;

    private MissingOnlyFilter(Set<String> indexed) {
        this.indexed = indexed;
    }

    static MissingOnlyFilter load(Settings settings, List<Path> files) throws IOException {
        Instant from = null;
        Instant to = null;
        for (Path f : files) {
            try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    AuditEntry e = parse(line.getBytes(StandardCharsets.UTF_8));
                    Instant t = e == null ? null : e.time();
                    if (t != null) {
                        from = from == null || t.isBefore(from) ? t : from;
                        to = to == null || t.isAfter(to) ? t : to;
                    }
                }
            }
        }
        Set<String> keys = new HashSet<>();
        if (from != null) {
            // as the index's role (index.postgres.user, else postgres.user): it may read audit_event
            PostgresSettings pg = new IndexConfig(settings).postgres();
            try (Connection c = DriverManager.getConnection(pg.url(), pg.user(), pg.password());
                 PreparedStatement q = c.prepareStatement("SELECT type, request_id FROM audit_event "
                         + "WHERE event_time BETWEEN ? AND ? AND request_id IS NOT NULL")) {
                q.setTimestamp(1, Timestamp.from(from.minus(SLACK)));
                q.setTimestamp(2, Timestamp.from(to.plus(SLACK)));
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        keys.add(rs.getString(1) + '|' + rs.getString(2));
                    }
                }
            } catch (SQLException e) {
                throw new IOException("cannot read the index to find the missing lines: " + e.getMessage(), e);
            }
        }
        return new MissingOnlyFilter(keys);
    }

    int indexedKeys() {
        return indexed.size();
    }

    @Override
    public boolean send(byte[] line) {
        AuditEntry entry = parse(line);
        if (entry == null) {
            return true; // unreadable: the pipeline routes it to the DLQ with its reason, as ingest would
        }
        String requestId = entry.request() == null || entry.request().id() == null ? "" : entry.request().id();
        // without a request id the event id comes from the line's bytes: a resend dedupes in the index anyway
        return requestId.isEmpty() || !indexed.contains(entry.type() + '|' + requestId);
    }

    private static AuditEntry parse(byte[] line) {
        try {
            return PARSER.parse(line);
        } catch (MalformedEntryException e) {
            return null;
        }
    }
}
