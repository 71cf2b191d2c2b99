package io.auditrail.reports.console;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The console's session cookie: a random session id ({@link SessionStore}), never the bearer, in a cookie scripts
 * cannot read (HttpOnly), that no other site's page can make the browser send (SameSite=Strict), and that never
 * travels in clear (Secure, named with the {@code __Host-} prefix, which also forbids a Domain attribute) unless the
 * console is used on this machine over plain http: by default ({@link Mode#AUTO}) a request whose Host and local
 * address are both loopback and which came over http gets the plain cookie, every other request the Secure one.
 * No Max-Age: closing the browser ends it, and the server ends it sooner (idle and absolute expiry).
 * <p>
 * Forms that change something carry a CSRF token derived from the session id (HMAC-SHA256 keyed by it): bound to
 * the session, unknowable without the cookie, the same on every replica and across restarts. Pure: no I/O.
 */
final class SessionCookie {
    static final String PLAIN_NAME = "auditrail_console";
    static final String TLS_NAME = "__Host-auditrail_console";

    /** {@code reports.console.behind.tls}: {@code auto}, {@code true} (always Secure), {@code false} (never). */
    enum Mode {
        AUTO, ALWAYS, NEVER;

        static Mode of(String setting) {
            return switch (setting.toLowerCase(Locale.ROOT)) {
                case "true" -> ALWAYS;
                case "false" -> NEVER;
                default -> AUTO;
            };
        }
    }

    private final Mode mode;

    SessionCookie(Mode mode) {
        this.mode = mode;
    }

    /**
     * Whether this request's cookie must be Secure.
     *
     * @param scheme       the request's scheme ({@code http}, {@code https})
     * @param localAddress the address the request arrived on
     * @param host         the Host header (browser-sent: the name the user typed), may be null
     */
    boolean secure(String scheme, String localAddress, String host) {
        return switch (mode) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AUTO -> !("http".equalsIgnoreCase(scheme) && loopbackAddress(localAddress) && loopbackHost(host));
        };
    }

    String name(boolean secure) {
        return secure ? TLS_NAME : PLAIN_NAME;
    }

    /** The Set-Cookie value that starts a session. */
    String start(String sessionId, boolean secure) {
        return name(secure) + "=" + sessionId + attributes(secure);
    }

    /** The Set-Cookie value that ends a session. */
    String end(boolean secure) {
        return name(secure) + "=; Max-Age=0" + attributes(secure);
    }

    private static String attributes(boolean secure) {
        return "; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    /** The session's CSRF token: HMAC-SHA256 of a fixed label, keyed by the session id. */
    static String csrfToken(String sessionId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(sessionId.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] tag = mac.doFinal("auditrail console csrf".getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java platform", e);
        }
    }

    /** Whether {@code presented} is this session's CSRF token (compared in constant time). */
    static boolean csrfMatches(String sessionId, String presented) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(csrfToken(sessionId).getBytes(StandardCharsets.US_ASCII),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean loopbackAddress(String address) {
        if (address == null || address.isEmpty()) {
            return false;
        }
        try {
            // a literal address: no name lookup happens for it
            return (Character.isDigit(address.charAt(0)) || address.contains(":"))
                    && InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean loopbackHost(String host) {
        if (host == null) {
            return false;
        }
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end > 0 && loopbackAddress(h.substring(1, end));
        }
        int colon = h.lastIndexOf(':');
        if (colon >= 0 && h.indexOf(':') == colon) {
            h = h.substring(0, colon);
        }
        return h.equals("localhost") || h.endsWith(".localhost") || loopbackAddress(h);
    }
}
