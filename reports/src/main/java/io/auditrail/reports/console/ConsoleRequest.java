package io.auditrail.reports.console;

import io.auditrail.reports.api.CallOutcome;
import io.auditrail.reports.api.CallTenants;
import io.auditrail.reports.query.ParameterChecks;
import io.auditrail.reports.token.Principal;

/** What the meta-audit keeps of one console request, filled in as it proceeds. Confined to the request's thread. */
final class ConsoleRequest {
    private static final int MAX_DETAIL = 300;

    final String method;
    final String route;
    Session session;
    /** Whether this request's cookie is the Secure one and pages carry HSTS ({@link SessionCookie#secure}). */
    boolean secure;
    final CallTenants tenants = new CallTenants();
    CallOutcome outcome = CallOutcome.ERROR;
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
            throw new Refusal(401, CallOutcome.UNAUTHENTICATED, "sign in with your token to see this page");
        }
        return session;
    }

    void end(CallOutcome how, int httpStatus, String why) {
        outcome = how;
        status = httpStatus;
        detail = why == null ? null : ParameterChecks.printable(why, MAX_DETAIL);
    }
}
