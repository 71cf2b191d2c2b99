package io.auditrail.core.entry;

/** The Vault namespace of a request ({@code request.namespace}). */
public record Namespace(String id, String path) {
}
