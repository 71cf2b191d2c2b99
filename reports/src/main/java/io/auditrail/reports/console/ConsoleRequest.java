package io.auditrail.reports.console;

import io.auditrail.reports.query.ParameterChecks;
import io.auditrail.reports.token.Principal;
import io.auditrail.reports.token.TenantName;

/** What the meta-audit keeps of one console request, filled in as it proceeds. Confined to the request's thread. */
final class ConsoleRequest {
    private static final int MAX_DETAIL = 300;

    final String method;
    final String route;
    Session session;
    String tenant;
    Outcome outcome = Outcome.ERROR;
    int status = 500;
    String detail;

    ConsoleRequest(String method, String route) {
        this.method = method;
        this.route = route;
    }

    Principal principal() {
        return session == null ? null : session.principal();
    }

    /** The signed-in session; a 401 refusal when there is none. */
    Session requireSession() {
        if (session == null) {
            throw new Refusal(401, Outcome.UNAUTHENTICATED, "sign in with your token to see this page");
        }
        return session;
    }

    /** Notes the tenant asked for, when it is one a table may hold (a NUL or 10,000 characters are not kept). */
    void askedFor(String requested) {
        if (requested == null) {
            return;
        }
        if (TenantName.PLATFORM.equals(requested)) {
            tenant = requested;
            return;
        }
        try {
            tenant = TenantName.check(requested);
        } catch (IllegalArgumentException e) {
            tenant = null;
        }
    }

    void end(Outcome how, int httpStatus, String why) {
        outcome = how;
        status = httpStatus;
        detail = why == null ? null : ParameterChecks.printable(why, MAX_DETAIL);
    }
}
