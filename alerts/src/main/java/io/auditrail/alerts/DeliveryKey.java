package io.auditrail.alerts;

/** What is delivered once: one revision of one anomaly to one target (the primary key of {@code alert_delivery}). */
public record DeliveryKey(String anomalyId, int revision, String target) {
}
