package io.auditrail.reports.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class SessionCookieTest {
    private static final String BEARER = "art_0123456789abcdefghijABCDEFGHIJ_-xyzXYZ01234";

    @Test
    void overPlainHttpTheCookieIsHttpOnlyAndStrictButNotSecure() {
        SessionCookie c = new SessionCookie(false, new SecureRandom());
        assertThat(c.start(BEARER)).isEqualTo("auditrail_console=" + BEARER + "; Path=/; HttpOnly; SameSite=Strict");
        assertThat(c.end()).isEqualTo("auditrail_console=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict");
    }

    @Test
    void behindTlsTheCookieIsSecureWithTheHostPrefix() {
        SessionCookie c = new SessionCookie(true, new SecureRandom());
        assertThat(c.name()).isEqualTo("__Host-auditrail_console");
        assertThat(c.start(BEARER)).isEqualTo("__Host-auditrail_console=" + BEARER
                + "; Path=/; HttpOnly; SameSite=Strict; Secure");
        assertThat(c.end()).endsWith("; Secure").contains("Max-Age=0");
    }

    @Test
    void theCsrfTokenIsBoundToTheSessionAndToThisProcessKey() {
        SessionCookie c = new SessionCookie(false, new SecureRandom());
        String token = c.csrfToken(BEARER);
        assertThat(c.csrfMatches(BEARER, token)).isTrue();
        assertThat(c.csrfMatches(BEARER + "x", token)).isFalse();
        assertThat(c.csrfMatches(BEARER, null)).isFalse();
        assertThat(c.csrfMatches(BEARER, "")).isFalse();
        assertThat(new SessionCookie(false, new SecureRandom()).csrfMatches(BEARER, token)).isFalse();
        assertThat(token).doesNotContain(BEARER.substring(4));
    }
}
