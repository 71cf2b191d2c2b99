package io.auditrail.core.entry;

/** The lease of a dynamic secret in a response ({@code response.secret}). */
public record Secret(String leaseId) {
}
