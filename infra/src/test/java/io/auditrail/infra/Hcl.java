package io.auditrail.infra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A reader for the subset of HCL that the Vault configurations and policies here use: attributes
 * ({@code key = "string" | number | true/false | [list]}), blocks with zero or more labels
 * ({@code storage "raft" { ... }}), and {@code #}, {@code //} and {@code /* * /} comments. Anything
 * else (heredocs, expressions, a duplicate attribute, unbalanced braces) is rejected with the line
 * number, so a config this reader cannot understand fails the tests instead of passing silently.
 */
final class Hcl {
    /** A block, or the file itself (type {@code ""}). */
    record Block(String type, List<String> labels, Map<String, Object> attributes, List<Block> blocks, int line) {
        List<Block> blocks(String blockType) {
            return blocks.stream().filter(b -> b.type.equals(blockType)).toList();
        }

        Optional<Block> block(String blockType) {
            List<Block> found = blocks(blockType);
            if (found.size() > 1) {
                throw new HclException("more than one '" + blockType + "' block in '" + type + "'", found.get(1).line);
            }
            return found.stream().findFirst();
        }

        Optional<String> string(String key) {
            Object v = attributes.get(key);
            return v == null ? Optional.empty() : Optional.of(String.valueOf(v));
        }

        String label() {
            return labels.isEmpty() ? "" : labels.get(0);
        }
    }

    static final class HclException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HclException(String message, int line) {
            super("line " + line + ": " + message);
        }
    }

    private final String src;
    private int pos;
    private int line = 1;

    private Hcl(String src) {
        this.src = src;
    }

    static Block parse(String text) {
        Hcl p = new Hcl(text);
        Block root = p.body("", List.of(), 1, false);
        return root;
    }

    private Block body(String type, List<String> labels, int startLine, boolean nested) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        List<Block> blocks = new ArrayList<>();
        while (true) {
            skipSpaceAndComments();
            if (pos >= src.length()) {
                if (nested) {
                    throw new HclException("block '" + type + "' opened here is never closed", startLine);
                }
                return new Block(type, List.copyOf(labels), attributes, blocks, startLine);
            }
            char c = src.charAt(pos);
            if (c == '}') {
                if (!nested) {
                    throw new HclException("unexpected '}'", line);
                }
                pos++;
                return new Block(type, List.copyOf(labels), attributes, blocks, startLine);
            }
            int itemLine = line;
            String name = identifier();
            skipSpaceAndComments();
            if (peek() == '=') {
                pos++;
                Object value = value();
                if (attributes.put(name, value) != null) {
                    throw new HclException("duplicate attribute '" + name + "'", itemLine);
                }
                continue;
            }
            List<String> blockLabels = new ArrayList<>();
            while (peek() == '"' || isIdentStart(peek())) {
                blockLabels.add(peek() == '"' ? string() : identifier());
                skipSpaceAndComments();
            }
            if (peek() != '{') {
                throw new HclException("expected '=' or '{' after '" + name + "'", line);
            }
            pos++;
            blocks.add(body(name, blockLabels, itemLine, true));
        }
    }

    private Object value() {
        skipSpaceAndComments();
        char c = peek();
        if (c == '"') {
            return string();
        }
        if (c == '[') {
            pos++;
            List<Object> items = new ArrayList<>();
            while (true) {
                skipSpaceAndComments();
                if (peek() == ']') {
                    pos++;
                    return items;
                }
                items.add(value());
                skipSpaceAndComments();
                if (peek() == ',') {
                    pos++;
                } else if (peek() != ']') {
                    throw new HclException("expected ',' or ']' in list", line);
                }
            }
        }
        if (c == '-' || Character.isDigit(c)) {
            int start = pos++;
            while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '.')) {
                pos++;
            }
            String number = src.substring(start, pos);
            try {
                return number.contains(".") ? (Object) Double.valueOf(number) : (Object) Long.valueOf(number);
            } catch (NumberFormatException e) {
                throw new HclException("bad number '" + number + "'", line);
            }
        }
        if (isIdentStart(c)) {
            String word = identifier();
            if (word.equals("true") || word.equals("false")) {
                return Boolean.valueOf(word);
            }
            throw new HclException("unsupported expression '" + word + "' (only literals are understood)", line);
        }
        throw new HclException(c == 0 ? "missing value at end of input" : "unsupported value starting with '" + c + "'",
                line);
    }

    private String string() {
        int startLine = line;
        pos++; // opening quote
        StringBuilder sb = new StringBuilder();
        while (pos < src.length()) {
            char c = src.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c == '\n') {
                throw new HclException("unterminated string", startLine);
            }
            if (c == '\\' && pos < src.length()) {
                char e = src.charAt(pos++);
                sb.append(switch (e) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> e;
                });
            } else {
                sb.append(c);
            }
        }
        throw new HclException("unterminated string", startLine);
    }

    private String identifier() {
        if (!isIdentStart(peek())) {
            throw new HclException("expected a name, found '" + (peek() == 0 ? "end of input" : peek()) + "'", line);
        }
        int start = pos;
        while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_'
                || src.charAt(pos) == '-')) {
            pos++;
        }
        return src.substring(start, pos);
    }

    private static boolean isIdentStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private char peek() {
        return pos < src.length() ? src.charAt(pos) : 0;
    }

    private void skipSpaceAndComments() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '\n') {
                line++;
                pos++;
            } else if (Character.isWhitespace(c)) {
                pos++;
            } else if (c == '#' || (c == '/' && pos + 1 < src.length() && src.charAt(pos + 1) == '/')) {
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (c == '/' && pos + 1 < src.length() && src.charAt(pos + 1) == '*') {
                int end = src.indexOf("*/", pos + 2);
                if (end < 0) {
                    throw new HclException("unterminated comment", line);
                }
                line += (int) src.substring(pos, end).chars().filter(ch -> ch == '\n').count();
                pos = end + 2;
            } else {
                return;
            }
        }
    }
}
