package io.auditrail.simulator;

/** The mounts the simulated cluster serves, with the mount fields Vault 1.15+ logs on each entry. */
enum Mount {
    KV("secret/", "kv", "kv_3d9f1a52", "v0.20.0+builtin", "secret"),
    APPROLE("auth/approle/", "approle", "auth_approle_5b2c7e19", "v1.17.6+builtin.vault", "auth"),
    USERPASS("auth/userpass/", "userpass", "auth_userpass_0c6d4e83", "v1.17.6+builtin.vault", "auth"),
    TOKEN("auth/token/", "token", "auth_token_1f0e8d2c", "v1.17.6+builtin.vault", "auth"),
    SYSTEM("sys/", "system", "system_8a4c2b11", "v1.17.6+builtin.vault", null);

    final String point;
    final String type;
    final String accessor;
    final String runningVersion;
    final String mountClass;

    Mount(String point, String type, String accessor, String runningVersion, String mountClass) {
        this.point = point;
        this.type = type;
        this.accessor = accessor;
        this.runningVersion = runningVersion;
        this.mountClass = mountClass;
    }
}
