package io.auditrail.core.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecretPathTest {
    private final SecretPath paths = new SecretPath(Set.of("secret/"));

    @ParameterizedTest
    @CsvSource({
            "secret/data/tenants/acme/binance, secret/tenants/acme/binance",
            "secret/metadata/tenants/acme/binance, secret/tenants/acme/binance",
            "secret/delete/x, secret/x",
            "secret/undelete/x, secret/x",
            "secret/destroy/x, secret/x",
            "secret/metadata/tenants/, secret/tenants/",
            "secret/metadata, secret/",
            "secret/config, secret/config",
            "sys/policies/acl/admin, sys/policies/acl/admin",
            "auth/approle/login, auth/approle/login"})
    void configuredMountsNormaliseWithoutMountInformation(String path, String expected) {
        assertThat(paths.normalise(path, null, null)).isEqualTo(expected);
    }

    @Test
    void anEntrysOwnKvMountIsUsedEvenWhenNotConfigured() {
        assertThat(paths.normalise("kv-tenants/data/acme/db", "kv-tenants/", "kv")).isEqualTo("kv-tenants/acme/db");
        assertThat(paths.normalise("kv-tenants/data/acme/db", "kv-tenants/", "system")).isEqualTo("kv-tenants/data/acme/db");
        assertThat(paths.normalise(null, null, null)).isNull();
    }
}
