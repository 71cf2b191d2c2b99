package io.auditrail.core.entry;

import java.util.List;
import java.util.Map;

/** What Vault answered ({@code response}); present on response entries only. */
public record Response(
        Auth auth,
        String mountPoint,
        String mountType,
        String mountAccessor,
        String mountRunningPluginVersion,
        String mountRunningSha256,
        String mountClass,
        Boolean mountIsExternalPlugin,
        Secret secret,
        RawJson data,
        List<String> warnings,
        String redirect,
        WrapInfo wrapInfo,
        Map<String, List<String>> headers,
        Map<String, RawJson> unknown) {

    public Response {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        unknown = unknown == null ? Map.of() : Map.copyOf(unknown);
    }
}
