package io.auditrail.reports.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditrail.embedded.EmbeddedPostgres;
import io.auditrail.embedded.junit.EmbeddedServicesExtension;
import io.auditrail.index.Migrations;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

@ExtendWith(EmbeddedServicesExtension.class)
@Timeout(120)
class TokenStoreIT {
    private PGSimpleDataSource dataSource;

    @BeforeEach
    void database(EmbeddedPostgres pg) throws Exception {
        String name = "tok_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        dataSource = new PGSimpleDataSource();
        dataSource.setURL(pg.jdbcUrl().substring(0, pg.jdbcUrl().lastIndexOf('/') + 1) + name);
        dataSource.setUser(pg.username());
        Migrations.migrate(dataSource);
    }

    @Test
    void aTokenIsShownOnceAndStoredOnlyAsItsHash() throws Exception {
        TokenStore store = new TokenStore(dataSource);
        CreatedToken t = store.create("acme auditor", Role.AUDITOR, Set.of("acme", "initech"), Duration.ofDays(30),
                "cli");
        assertThat(t.bearer()).startsWith("art_").hasSize(4 + 43);
        assertThat(Base64.getUrlDecoder().decode(t.bearer().substring(4))).hasSize(32);
        assertThat(t.toString()).doesNotContain(t.bearer());
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM api_token")) {
            rs.next();
            assertThat(rs.getBytes("token_hash")).isEqualTo(MessageDigest.getInstance("SHA-256")
                    .digest(t.bearer().getBytes(StandardCharsets.UTF_8)));
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                assertThat(String.valueOf(rs.getObject(i))).doesNotContain(t.bearer().substring(4));
            }
        }
        assertThat(store.authenticate(t.bearer())).contains(new Principal(t.tokenId(), Role.AUDITOR,
                Set.of("acme", "initech")));
        TokenInfo listed = store.list().get(0);
        assertThat(listed.tokenId()).isEqualTo(t.tokenId());
        assertThat(listed.tenants()).containsExactlyInAnyOrder("acme", "initech");
        assertThat(listed.toString()).doesNotContain(t.bearer());
    }

    @Test
    void revokedExpiredAndUnknownBearersAreNobody() {
        Instant now = Instant.now();
        TokenStore store = new TokenStore(dataSource, Clock.fixed(now, ZoneOffset.UTC));
        CreatedToken a = store.create("a", Role.ADMIN, Set.of(), Duration.ofHours(1), "cli");
        CreatedToken b = store.create("b", Role.COMPLIANCE, Set.of(), Duration.ofHours(1), a.tokenId());
        assertThat(store.authenticate(a.bearer())).isPresent();
        assertThat(store.revoke(a.tokenId())).isTrue();
        assertThat(store.revoke(a.tokenId())).isFalse();
        assertThat(store.revoke("tok_unknown")).isFalse();
        assertThat(store.authenticate(a.bearer())).isEmpty();
        assertThat(store.authenticate(b.bearer())).isPresent();
        TokenStore later = new TokenStore(dataSource, Clock.fixed(now.plus(Duration.ofHours(1)), ZoneOffset.UTC));
        assertThat(later.authenticate(b.bearer())).isEmpty();
        assertThat(store.authenticate(b.bearer() + "x")).isEmpty();
        assertThat(store.authenticate("art_' OR 1=1 --")).isEmpty();
        assertThat(store.authenticate(null)).isEmpty();
        assertThat(store.list()).hasSize(2);
        assertThat(store.list()).filteredOn(i -> i.tokenId().equals(a.tokenId())).singleElement()
                .satisfies(i -> assertThat(i.revokedAt()).isNotNull());
    }

    @Test
    void scopesMustFitTheRole() {
        TokenStore store = new TokenStore(dataSource);
        assertThatThrownBy(() -> store.create("x", Role.AUDITOR, Set.of(), Duration.ofDays(1), "cli"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.create("x", Role.ADMIN, Set.of("acme"), Duration.ofDays(1), "cli"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.create("x", Role.AUDITOR, Set.of("-"), Duration.ofDays(1), "cli"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.create("x", Role.AUDITOR, Set.of("acme"), Duration.ZERO, "cli"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.create(" ", Role.ADMIN, Set.of(), Duration.ofDays(1), "cli"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.list()).isEmpty();
    }
}
