package io.auditrail.reports.console;

import io.auditrail.reports.token.Principal;

/** A signed-in browser: its token (from the cookie), who that token is, and the CSRF token its forms carry. */
record Session(String bearer, Principal principal, String csrf) {
    @Override
    public String toString() {
        return "Session[" + principal + "]"; // never the bearer
    }
}
