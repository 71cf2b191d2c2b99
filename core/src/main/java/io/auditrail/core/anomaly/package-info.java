/** The anomaly contract: the value of {@code vault.audit.anomalies}, its deterministic id and its JSON form. */
package io.auditrail.core.anomaly;
