package io.auditrail.reports.console;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The console's session: the bearer itself, in a cookie scripts cannot read (HttpOnly), that no other site's page
 * can make the browser send (SameSite=Strict), and, behind TLS, that never travels in clear (Secure, with the
 * {@code __Host-} prefix, which also forbids a Domain attribute). The server keeps no session state: every request
 * authenticates the token again, so a revoked or expired token ends the session at once.
 * <p>
 * Forms that change something carry a CSRF token: an HMAC of the bearer under a key drawn when the console starts.
 * It is bound to the cookie (another session's token does not fit) and cannot be computed without the key. A
 * restart draws a new key, so a form opened before it is refused once; reloading the page fixes that.
 */
final class SessionCookie {
    private static final String PLAIN_NAME = "auditrail_console";
    private static final String TLS_NAME = "__Host-auditrail_console";

    private final boolean secure;
    private final SecretKeySpec csrfKey;

    SessionCookie(boolean secure, SecureRandom random) {
        this.secure = secure;
        byte[] key = new byte[32];
        random.nextBytes(key);
        this.csrfKey = new SecretKeySpec(key, "HmacSHA256");
    }

    String name() {
        return secure ? TLS_NAME : PLAIN_NAME;
    }

    /** The Set-Cookie value that starts a session; a browser-session cookie (no Max-Age): closing the browser ends it. */
    String start(String bearer) {
        return name() + "=" + bearer + attributes();
    }

    /** The Set-Cookie value that ends a session. */
    String end() {
        return name() + "=; Max-Age=0" + attributes();
    }

    private String attributes() {
        return "; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    String csrfToken(String bearer) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(csrfKey);
            byte[] tag = mac.doFinal(("auditrail console csrf\u0000" + bearer).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java platform", e);
        }
    }

    /** Whether {@code presented} is this session's CSRF token (compared in constant time). */
    boolean csrfMatches(String bearer, String presented) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(csrfToken(bearer).getBytes(StandardCharsets.US_ASCII),
                presented.getBytes(StandardCharsets.UTF_8));
    }
}
