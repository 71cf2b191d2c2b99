package io.auditrail.core.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditrail.core.entry.AuditEntry;
import io.auditrail.core.parse.AuditEntryParser;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TenantResolverTest {
    private final TenantResolver resolver = TenantResolver.defaults()
            .withDirectory(TenantDirectory.of(Map.of("ent-dir", "globex")));

    @Test
    void metadataWinsAndThePathTenantIsKeptBesideIt() throws Exception {
        TenantResolution r = resolver.resolve(entry("{\"tenant_id\":\"acme\"}", "ent-dir", "secret/data/tenants/initech/db"));
        assertThat(r).isEqualTo(new TenantResolution("acme", TenantSource.METADATA, "acme", "initech"));
        assertThat(r.crossesTenants()).isTrue();
    }

    @Test
    void samePathTenantAsTheTokenIsNotCrossTenant() throws Exception {
        TenantResolution r = resolver.resolve(entry("{\"tenant_id\":\"acme\"}", null, "secret/metadata/tenants/acme/"));
        assertThat(r.source()).isEqualTo(TenantSource.METADATA);
        assertThat(r.pathTenantId()).isEqualTo("acme");
        assertThat(r.crossesTenants()).isFalse();
    }

    @Test
    void thePathDecidesWhenTheTokenHasNoTenantButTheDirectoryStillNamesTheActor() throws Exception {
        TenantResolution r = resolver.resolve(entry("{}", "ent-dir", "secret/data/tenants/initech/db"));
        assertThat(r).isEqualTo(new TenantResolution("initech", TenantSource.PATH, "globex", "initech"));
        assertThat(r.crossesTenants()).isTrue();
    }

    @Test
    void theDirectoryIsTheLastResort() throws Exception {
        assertThat(resolver.resolve(entry("{}", "ent-dir", "auth/token/lookup-self")))
                .isEqualTo(new TenantResolution("globex", TenantSource.DIRECTORY, "globex", null));
        assertThat(resolver.resolve(entry("{}", "ent-unknown", "sys/health"))).isEqualTo(TenantResolution.NONE);
    }

    @Test
    void aPathOutsideTheTemplateNamesNoTenant() {
        assertThat(resolver.pathTenant("secret/data/tenantsX/acme/db")).isNull();
        assertThat(resolver.pathTenant("secret/data/apps/tenants/acme")).isNull();
        assertThat(resolver.pathTenant("secret/data/tenants/acme")).isEqualTo("acme");
        assertThat(resolver.pathTenant("secret/destroy/tenants/acme/k")).isEqualTo("acme");
    }

    @Test
    void aPatternWithoutTheTenantGroupIsRefused() {
        assertThatThrownBy(() -> new TenantResolver("tenant_id", "^secret/(.*)", TenantDirectory.EMPTY))
                .hasMessageContaining("(?<tenant>");
    }

    private static AuditEntry entry(String metadata, String entityId, String path) throws Exception {
        String json = "{\"time\":\"2026-01-01T00:00:00Z\",\"type\":\"request\",\"auth\":{\"metadata\":" + metadata
                + (entityId == null ? "" : ",\"entity_id\":\"" + entityId + "\"") + "},\"request\":{\"path\":\""
                + path + "\"}}";
        return new AuditEntryParser().parse(json.getBytes(StandardCharsets.UTF_8));
    }
}
