package io.auditrail.reports.api;

import io.auditrail.reports.query.ParameterChecks;
import io.auditrail.reports.token.Principal;
import io.auditrail.reports.token.TenantName;

/** What the meta-audit keeps of one call, filled in as the call proceeds. Confined to the request's thread. */
final class ApiCall {
    private static final int MAX_DETAIL = 300;

    final String method;
    final String route;
    Principal principal;
    String tenant;
    CallOutcome outcome = CallOutcome.ERROR;
    int status = 500;
    String detail;

    ApiCall(String method, String route) {
        this.method = method;
        this.route = route;
    }

    /** Notes the tenant the call asked for, if it is one a table may hold; an unusable value is noted in the detail. */
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
            tenant = null; // a NUL or 10,000 characters do not go into the meta-audit; the refusal's reason does
        }
    }

    void end(CallOutcome how, int httpStatus, String why) {
        outcome = how;
        status = httpStatus;
        detail = why == null ? null : ParameterChecks.printable(why, MAX_DETAIL);
    }
}
