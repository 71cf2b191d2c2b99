package io.auditrail.reports.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** The console's one stylesheet, inline, and the CSP source that allows exactly it (and nothing injected). */
enum ConsoleStyle {
    INSTANCE;

    private static final String CSS = "body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1b1f24;background:#fff}"
            + "header{background:#1f3a5f;color:#fff;padding:.5em 1em;display:flex;gap:1em;align-items:center;"
            + "flex-wrap:wrap}header a{color:#fff}header form{margin-left:auto}main{padding:1em;max-width:90em}"
            + "table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #d0d7de;padding:.3em .5em;"
            + "text-align:left;vertical-align:top}th{background:#f3f5f7}td.p{word-break:break-all}"
            + "pre{background:#f6f8fa;border:1px solid #d0d7de;padding:.6em;white-space:pre-wrap;"
            + "word-break:break-all}.x{background:#ffd7d5}.note{background:#fff8c5;padding:.5em;border:1px solid "
            + "#d4a72c}.refusal{background:#ffebe9;padding:.5em;border:1px solid #cf222e}form.f{display:flex;"
            + "flex-wrap:wrap;gap:.5em;align-items:end}label{display:flex;flex-direction:column;font-size:.85em}"
            + "input,select,textarea,button{font:inherit}nav a{margin-right:1em}dl{display:grid;"
            + "grid-template-columns:max-content auto;gap:.2em 1em}dd{margin:0;word-break:break-all}";

    private final String source;

    ConsoleStyle() {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(CSS.getBytes(StandardCharsets.UTF_8));
            source = "'sha256-" + Base64.getEncoder().encodeToString(hash) + "'";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    String css() {
        return CSS;
    }

    /**
     * The Content-Security-Policy of every console response: nothing may load or run but this stylesheet, forms post
     * only to the console, and no page may frame it.
     */
    String contentSecurityPolicy() {
        return "default-src 'none'; style-src " + source + "; img-src 'none'; form-action 'self'; "
                + "frame-ancestors 'none'; base-uri 'none'";
    }
}
