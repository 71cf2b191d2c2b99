package io.auditrail.reports.query;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The checks the API and the console apply alike to what a caller sends: only known names, each once; whole numbers
 * in a range; canonical UUIDs; and names or reasons made safe to echo. Each failure is an {@link InvalidParameter}
 * naming the parameter (a 400).
 */
public final class ParameterChecks {
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private ParameterChecks() {
    }

    /**
     * Only the known names, each at most once: a misspelt filter must not silently widen a search, and a repeated one
     * must not mean two things.
     */
    public static void knownOnce(Map<String, List<String>> given, Set<String> known) {
        for (Map.Entry<String, List<String>> e : given.entrySet()) {
            if (!known.contains(e.getKey())) {
                throw new InvalidParameter(printable(e.getKey()), "unknown parameter (known: " + new TreeSet<>(known)
                        + ")");
            }
            if (e.getValue().size() > 1) {
                throw new InvalidParameter(e.getKey(), "given more than once");
            }
        }
    }

    /** A whole number in [min, max], {@code fallback} when {@code value} is null. */
    public static int wholeNumber(String name, String value, int min, int max, int fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the one message
        }
        throw new InvalidParameter(name, "must be a whole number from " + min + " to " + max);
    }

    /** A UUID in its canonical 36-character form ({@link UUID#fromString} alone accepts "1-1-1-1-1"). */
    public static UUID uuid(String name, String value) {
        if (value == null || !UUID_TEXT.matcher(value).matches()) {
            throw new InvalidParameter(name, "not a UUID");
        }
        return UUID.fromString(value);
    }

    /** A name safe to echo in a reason: control characters replaced, at most 40 characters. */
    public static String printable(String s) {
        return printable(s, 40);
    }

    /** {@code s} with control characters replaced by {@code ?}, cut to {@code max} characters (then "..."). */
    public static String printable(String s, int max) {
        String cut = s.length() > max ? s.substring(0, max) + "..." : s;
        return cut.codePoints().map(ch -> Character.isISOControl(ch) ? '?' : ch)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
