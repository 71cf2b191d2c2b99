package io.auditrail.simulator;

import java.util.Locale;

/** What a simulated request does, for the report's counts. */
public enum OperationKind {
    KV_READ, KV_WRITE, KV_LIST, KV_DELETE, PERMISSION_DENIED, APPROLE_LOGIN, USERPASS_LOGIN, LOGIN_FAILED,
    TOKEN_RENEW, TOKEN_LOOKUP, TOKEN_CREATE, SYS_READ, SYS_LIST, SYS_WRITE, SYS_REQUEST_ONLY;

    /** {@code kv-read}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
