/** Writes events and anomalies into the PostgreSQL index; partitions it by day and enforces retention. */
package io.auditrail.index;
