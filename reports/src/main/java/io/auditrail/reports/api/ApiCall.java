package io.auditrail.reports.api;

import io.auditrail.reports.query.ParameterChecks;
import io.auditrail.reports.token.Principal;

/** What the meta-audit keeps of one call, filled in as the call proceeds. Confined to the request's thread. */
final class ApiCall {
    private static final int MAX_DETAIL = 300;

    final String method;
    final String route;
    Principal principal;
    final CallTenants tenants = new CallTenants();
    CallOutcome outcome = CallOutcome.ERROR;
    int status = 500;
    String detail;

    ApiCall(String method, String route) {
        this.method = method;
        this.route = route;
    }

    void end(CallOutcome how, int httpStatus, String why) {
        outcome = how;
        status = httpStatus;
        detail = why == null ? null : ParameterChecks.printable(why, MAX_DETAIL);
    }
}
