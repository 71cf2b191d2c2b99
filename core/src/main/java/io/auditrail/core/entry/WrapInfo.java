package io.auditrail.core.entry;

/** Response-wrapping details ({@code response.wrap_info}); token and accessors are HMAC'd by default. */
public record WrapInfo(Long ttl, String token, String accessor, String creationTime, String creationPath,
                       String wrappedAccessor) {
}
