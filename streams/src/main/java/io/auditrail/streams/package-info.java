/** The Kafka Streams topology: raw lines to enriched events, anomalies and dead letters. */
package io.auditrail.streams;
