package io.auditrail.core.tenant;

import java.util.Set;

/**
 * Normalises KV v2 paths to the secret they name: {@code secret/data/x}, {@code secret/metadata/x},
 * and the {@code delete|undelete|destroy} forms all are the secret {@code secret/x}. A path is KV v2
 * when the entry says so ({@code mount_type} kv with a {@code mount_point}) or its first segment is a
 * configured KV v2 mount, since Vault before 1.15 did not log the mount point.
 */
public final class SecretPath {
    private static final Set<String> KV2_VERBS = Set.of("data", "metadata", "delete", "undelete", "destroy");

    private final Set<String> kvV2Mounts;

    /** @param kvV2Mounts mount paths with trailing slash, e.g. {@code secret/} */
    public SecretPath(Set<String> kvV2Mounts) {
        this.kvV2Mounts = Set.copyOf(kvV2Mounts);
    }

    /** The normalised path; the path unchanged when it is not a KV v2 data or metadata path. */
    public String normalise(String path, String mountPoint, String mountType) {
        if (path == null) {
            return null;
        }
        String mount = null;
        if (mountPoint != null && !mountPoint.isEmpty() && "kv".equals(mountType) && path.startsWith(mountPoint)) {
            mount = mountPoint.endsWith("/") ? mountPoint : mountPoint + "/";
        } else {
            int slash = path.indexOf('/');
            if (slash > 0 && kvV2Mounts.contains(path.substring(0, slash + 1))) {
                mount = path.substring(0, slash + 1);
            }
        }
        if (mount == null || path.length() <= mount.length()) {
            return path;
        }
        int verbEnd = path.indexOf('/', mount.length());
        String verb = verbEnd < 0 ? path.substring(mount.length()) : path.substring(mount.length(), verbEnd);
        if (!KV2_VERBS.contains(verb)) {
            return path;
        }
        return verbEnd < 0 ? mount : mount + path.substring(verbEnd + 1);
    }
}
