/** Realistic Vault socket-device traffic: tenants, KV v2, AppRole, denials, planted anomalies; same seed, same traffic. */
package io.auditrail.simulator;
