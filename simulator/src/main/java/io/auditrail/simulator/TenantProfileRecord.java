package io.auditrail.simulator;

import java.nio.charset.StandardCharsets;

/**
 * A tenant directory record the simulation needs (key: tenant id, value: profile JSON as in docs/ANOMALIES.md,
 * "Tenant directory"). Publish it to {@code vault.audit.tenants} before the traffic: {@code off_hours_access}
 * can only fire for a tenant with business hours.
 */
public record TenantProfileRecord(String tenantId, String json) {
    public byte[] value() {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
