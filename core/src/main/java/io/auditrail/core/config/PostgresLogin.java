package io.auditrail.core.config;

import org.apache.kafka.common.config.types.Password;

/**
 * The PostgreSQL role a stage logs in as: its own ({@code <stage>.postgres.user}, docs/SECURITY.md) when set, else
 * core's {@code postgres.user}, which is also the schema's owner that {@code auditrail migrate} uses. A stage given its
 * own user takes its own password with it (empty: trust or certificate authentication), never the owner's.
 */
public record PostgresLogin(String user, String password) {
    /** The stage's login from its own settings, falling back to core's when {@code stageUser} is empty. */
    public static PostgresLogin of(CoreConfig core, String stageUser, Password stagePassword) {
        if (stageUser == null || stageUser.isEmpty()) {
            return owner(core);
        }
        return new PostgresLogin(stageUser, stagePassword == null ? "" : stagePassword.value());
    }

    /** Core's {@code postgres.user}: the schema's owner, for migrations. */
    public static PostgresLogin owner(CoreConfig core) {
        return new PostgresLogin(core.getString(CoreConfig.POSTGRES_USER),
                core.getPassword(CoreConfig.POSTGRES_PASSWORD).value());
    }

    @Override
    public String toString() {
        return "PostgresLogin[user=" + user + "]"; // never the password
    }
}
