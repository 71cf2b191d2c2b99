package io.auditrail.reports.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SessionCookieTest {
    private static final String ID = "0123456789abcdefghijABCDEFGHIJ_-xyzXYZ01234";

    @Test
    void theCookieIsHttpOnlyAndStrictAndSecureOutsideLoopback() {
        SessionCookie c = new SessionCookie(SessionCookie.Mode.AUTO);
        assertThat(c.start(ID, false)).isEqualTo("auditrail_console=" + ID + "; Path=/; HttpOnly; SameSite=Strict");
        assertThat(c.end(false)).isEqualTo("auditrail_console=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict");
        assertThat(c.start(ID, true)).isEqualTo("__Host-auditrail_console=" + ID
                + "; Path=/; HttpOnly; SameSite=Strict; Secure");
        assertThat(c.end(true)).endsWith("; Secure").contains("Max-Age=0");
    }

    @Test
    void autoIsPlainOnlyForPlainHttpOnThisMachine() {
        SessionCookie auto = new SessionCookie(SessionCookie.Mode.AUTO);
        assertThat(auto.secure("http", "127.0.0.1", "127.0.0.1:8080")).isFalse();
        assertThat(auto.secure("http", "127.0.0.1", "localhost:8080")).isFalse();
        assertThat(auto.secure("http", "0:0:0:0:0:0:0:1", "[::1]:8080")).isFalse();
        // a proxy on this machine forwarding the world's requests: the Host is the public name
        assertThat(auto.secure("http", "127.0.0.1", "audit.example.com")).isTrue();
        assertThat(auto.secure("http", "10.0.3.7", "10.0.3.7:8080")).isTrue();
        assertThat(auto.secure("http", "10.0.3.7", "127.0.0.1")).isTrue();
        assertThat(auto.secure("https", "127.0.0.1", "127.0.0.1")).isTrue();
        assertThat(auto.secure("http", "127.0.0.1", null)).isTrue();
        assertThat(auto.secure("http", "127.0.0.1", "127.0.0.1.evil.example")).isTrue();
        assertThat(new SessionCookie(SessionCookie.Mode.ALWAYS).secure("http", "127.0.0.1", "localhost")).isTrue();
        assertThat(new SessionCookie(SessionCookie.Mode.NEVER).secure("https", "10.0.0.1", "x.example")).isFalse();
        assertThat(SessionCookie.Mode.of("true")).isEqualTo(SessionCookie.Mode.ALWAYS);
        assertThat(SessionCookie.Mode.of("false")).isEqualTo(SessionCookie.Mode.NEVER);
        assertThat(SessionCookie.Mode.of("auto")).isEqualTo(SessionCookie.Mode.AUTO);
    }

    @Test
    void theCsrfTokenIsBoundToTheSession() {
        String token = SessionCookie.csrfToken(ID);
        assertThat(SessionCookie.csrfMatches(ID, token)).isTrue();
        assertThat(SessionCookie.csrfMatches(ID + "x", token)).isFalse();
        assertThat(SessionCookie.csrfMatches(ID, null)).isFalse();
        assertThat(SessionCookie.csrfMatches(ID, "")).isFalse();
        assertThat(token).doesNotContain(ID.substring(4, 20));
        // the same on every replica and after a restart: derived from the session, not from a process key
        assertThat(SessionCookie.csrfToken(ID)).isEqualTo(token);
    }
}
