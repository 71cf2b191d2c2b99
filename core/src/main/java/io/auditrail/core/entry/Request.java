package io.auditrail.core.entry;

import java.util.List;
import java.util.Map;

/**
 * What was asked ({@code request}). Path, operation, mount and remote address are plain text;
 * every string inside {@code data} is HMAC'd by default, so {@code data} is kept as raw JSON.
 * {@code mountRunningVersion} is {@code mount_running_version}: the response spells it differently.
 */
public record Request(
        String id,
        String clientId,
        String replicationCluster,
        String operation,
        String mountPoint,
        String mountType,
        String mountAccessor,
        String mountRunningVersion,
        String mountRunningSha256,
        String mountClass,
        Boolean mountIsExternalPlugin,
        String clientToken,
        String clientTokenAccessor,
        Namespace namespace,
        String path,
        RawJson data,
        Boolean policyOverride,
        String remoteAddress,
        Integer remotePort,
        Long wrapTtl,
        Map<String, List<String>> headers,
        String clientCertificateSerialNumber,
        String requestUri,
        Map<String, RawJson> unknown) {

    public Request {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        unknown = unknown == null ? Map.of() : Map.copyOf(unknown);
    }
}
