package io.auditrail.simulator;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * One Vault request as the audit device sees it: the request entry and, unless Vault logs none, its response
 * entry. Built by the generator, written by {@link EntryWriter}. Mutable, short-lived.
 */
final class Call {
    /** The fields of a {@code data} object, written in Go's map order (sorted keys). */
    @FunctionalInterface
    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    String requestId;
    OperationKind kind;
    Identity auth = Identity.UNAUTHENTICATED;
    Mount mount;
    String operation;
    String path;
    String remoteAddress;
    int remotePort;
    Body requestData;
    /** {@code error} of the request entry: Vault writes "permission denied" there when the ACL check fails. */
    String requestError;
    boolean allowed = true;
    /** The token a login, renewal or token creation issued ({@code response.auth}). */
    Identity issued;
    Body responseData;
    String responseError;
    /** Vault logs only the request ({@code sys/step-down}, {@code sys/replication/status}). */
    boolean requestOnly;
    /** A planted audit gap: the response entry never reaches the receiver. */
    boolean unanswered;
    /** The tenant the request entry resolves to, and the response entry's (a login's response names the token's). */
    String tenant;
    String responseTenant;
    int node;
    /** Set on the request whose entry makes a planted anomaly fire (or complete). */
    PlantedRule plant;

    int lines() {
        return requestOnly || unanswered ? 1 : 2;
    }

    /** The {@code auth} block of the response entry: a login's is the new token, otherwise the caller's. */
    Identity responseEntryAuth() {
        return !auth.authenticated() && issued != null ? issued : auth;
    }
}
