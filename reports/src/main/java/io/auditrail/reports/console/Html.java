package io.auditrail.reports.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * An HTML document being written. Text and attribute values are always escaped; only tag and attribute names are
 * written as given, and those are constants of this package, never request data. There is deliberately no method
 * that writes a string as markup.
 */
final class Html {
    private final StringBuilder out = new StringBuilder(8192);

    /** The document type: the first thing of every page. */
    Html doctype() {
        out.append("<!DOCTYPE html>");
        return this;
    }

    /** {@code <tag a="v" ...>}; attributes come as name, value pairs, and a pair whose value is null is left out. */
    Html open(String tag, String... attributes) {
        out.append('<').append(tag);
        attributes(attributes);
        out.append('>');
        return this;
    }

    Html close(String tag) {
        out.append("</").append(tag).append('>');
        return this;
    }

    /** A void element ({@code input}, {@code meta}, {@code br}). */
    Html empty(String tag, String... attributes) {
        return open(tag, attributes);
    }

    /** {@code <tag ...>text</tag>}. */
    Html element(String tag, String text, String... attributes) {
        return open(tag, attributes).text(text).close(tag);
    }

    Html text(String text) {
        escape(text == null ? "" : text, out);
        return this;
    }

    /** The inline stylesheet: a constant of the console, allowed by its hash in the Content-Security-Policy. */
    Html style(ConsoleStyle style) {
        out.append("<style>").append(style.css()).append("</style>");
        return this;
    }

    private void attributes(String... attributes) {
        if (attributes.length % 2 != 0) {
            throw new IllegalArgumentException("attributes come in name, value pairs");
        }
        for (int i = 0; i < attributes.length; i += 2) {
            if (attributes[i + 1] != null) {
                out.append(' ').append(attributes[i]).append("=\"");
                escape(attributes[i + 1], out);
                out.append('"');
            }
        }
    }

    static String escape(String text) {
        StringBuilder b = new StringBuilder(text.length() + 16);
        escape(text, b);
        return b.toString();
    }

    private static void escape(String text, StringBuilder b) {
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
    }

    /** A console URL: {@code path} (a constant) with the name, value pairs URL-encoded; null values are left out. */
    static String url(String path, String... query) {
        StringBuilder b = new StringBuilder(path);
        char sep = '?';
        for (int i = 0; i < query.length; i += 2) {
            if (query[i + 1] != null) {
                b.append(sep).append(query[i]).append('=')
                        .append(URLEncoder.encode(query[i + 1], StandardCharsets.UTF_8));
                sep = '&';
            }
        }
        return b.toString();
    }

    /** A path segment, percent-encoded (UUIDs in practice; encoded anyway). */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
