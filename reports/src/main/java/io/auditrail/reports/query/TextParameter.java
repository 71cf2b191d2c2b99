package io.auditrail.reports.query;

import java.util.Set;
import java.util.TreeSet;

/**
 * The checks every free-text filter gets before it reaches SQL: a length bound (an index key has a size limit, and
 * nobody types 10,000 characters) and no control characters (PostgreSQL text refuses U+0000 with an error, and the
 * others only hide what a value is). Everything else, quotes and wildcards included, is just data: queries are
 * parameterised, and LIKE patterns are escaped by {@link #likePrefix}.
 */
final class TextParameter {
    private TextParameter() {
    }

    /** The value unchanged, null when absent; {@link InvalidParameter} when empty, too long or not printable. */
    static String check(String name, String value, int maxLength) {
        if (value == null) {
            return null;
        }
        if (value.isEmpty()) {
            throw new InvalidParameter(name, "must not be empty (leave it out instead)");
        }
        if (value.length() > maxLength) {
            throw new InvalidParameter(name, "longer than " + maxLength + " characters");
        }
        if (value.codePoints().anyMatch(Character::isISOControl)) {
            throw new InvalidParameter(name, "contains a control character");
        }
        return value;
    }

    /** A value that must be one of {@code allowed}, or null when absent. */
    static String oneOf(String name, String value, Set<String> allowed) {
        if (value == null) {
            return null;
        }
        if (!allowed.contains(value)) {
            throw new InvalidParameter(name, "must be one of " + new TreeSet<>(allowed));
        }
        return value;
    }

    /** A LIKE pattern matching strings that start with {@code prefix} literally (with {@code ESCAPE '\'}). */
    static String likePrefix(String prefix) {
        StringBuilder b = new StringBuilder(prefix.length() + 8);
        for (int i = 0; i < prefix.length(); i++) {
            char ch = prefix.charAt(i);
            if (ch == '\\' || ch == '%' || ch == '_') {
                b.append('\\');
            }
            b.append(ch);
        }
        return b.append('%').toString();
    }
}
