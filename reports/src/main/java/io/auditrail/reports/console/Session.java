package io.auditrail.reports.console;

import io.auditrail.reports.token.Principal;

/** A signed-in browser: its session id (from the cookie), who its token is, and the CSRF token its forms carry. */
record Session(String id, Principal principal, String csrf) {
    Session(String id, Principal principal) {
        this(id, principal, SessionCookie.csrfToken(id));
    }

    @Override
    public String toString() {
        return "Session[" + principal + "]"; // never the id
    }
}
