/** Receives Vault's socket audit device and puts every line, byte-exact, on {@code vault.audit.raw}. */
package io.auditrail.ingest;
