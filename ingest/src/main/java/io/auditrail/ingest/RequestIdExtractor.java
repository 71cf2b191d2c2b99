package io.auditrail.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Finds {@code request.id} in a raw line for the record key, so a request and its response meet in one partition.
 * Streams over the bytes and stops at the id; anything it cannot read gives no key: judging lines is the parse
 * stage's job, and a line without a key is still delivered. Thread-safe.
 */
public final class RequestIdExtractor {
    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private final byte[] prefix;

    /** @param prefix the Vault device's {@code prefix} option ("" for none); the line may also lack it (Vault 1.15). */
    public RequestIdExtractor(String prefix) {
        this.prefix = prefix.getBytes(StandardCharsets.UTF_8);
    }

    /** The request id as UTF-8 bytes, or null. */
    public byte[] requestId(byte[] line) {
        return requestId(line, 0, line.length);
    }

    /** The request id of the line in {@code buf[off, off + len)} as UTF-8 bytes, or null. */
    public byte[] requestId(byte[] buf, int off, int len) {
        int start = off;
        if (prefix.length > 0 && startsWith(buf, off, len, prefix)) {
            start += prefix.length;
        }
        try {
            return new Scan(buf, off + len).requestId(start);
        } catch (Unsure e) {
            return withJackson(buf, start, off + len);
        }
    }

    static byte[] withJackson(byte[] line, int start) {
        return withJackson(line, start, line.length);
    }

    /** The general path, for lines the byte scan does not vouch for (escapes in keys, odd structure). */
    static byte[] withJackson(byte[] line, int start, int end) {
        try (JsonParser p = JSON.createParser(line, start, end - start)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("request".equals(name) && value == JsonToken.START_OBJECT) {
                    return idOf(p);
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Thrown when the byte scan meets something it does not handle; Jackson then decides. */
    private static final class Unsure extends Exception {
        private static final long serialVersionUID = 1L;
        static final Unsure INSTANCE = new Unsure();

        private Unsure() {
            super(null, null, false, false);
        }
    }

    /**
     * A byte scan over the top-level object to {@code request.id}, skipping values without building tokens:
     * several times cheaper than a tokenizer, and this runs for every line. It does not validate JSON; where it is
     * not sure (a backslash in a key or in the id, a missing delimiter, the end of the line), it defers to Jackson.
     */
    private static final class Scan {
        private static final byte[] REQUEST = "request".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] ID = "id".getBytes(StandardCharsets.US_ASCII);

        private final byte[] b;
        private final int end;
        private boolean escaped;

        Scan(byte[] b, int end) {
            this.b = b;
            this.end = end;
        }

        byte[] requestId(int start) throws Unsure {
            int pos = ws(start);
            if (b[pos] != '{') {
                return null;
            }
            pos = ws(pos + 1);
            if (b[pos] == '}') {
                return null;
            }
            while (true) {
                int keyEnd = string(pos);
                boolean isRequest = is(pos + 1, keyEnd, REQUEST);
                pos = ws(colon(ws(keyEnd + 1)) + 1);
                if (isRequest && b[pos] == '{') {
                    return idIn(pos);
                }
                pos = ws(value(pos));
                if (b[pos] == '}') {
                    return null;
                }
                if (b[pos] != ',') {
                    throw Unsure.INSTANCE;
                }
                pos = ws(pos + 1);
            }
        }

        private byte[] idIn(int open) throws Unsure {
            int pos = ws(open + 1);
            if (b[pos] == '}') {
                return null;
            }
            while (true) {
                int keyEnd = string(pos);
                boolean isId = is(pos + 1, keyEnd, ID);
                pos = ws(colon(ws(keyEnd + 1)) + 1);
                if (isId) {
                    if (b[pos] != '"') {
                        return null;
                    }
                    int end = string(pos);
                    if (escaped) {
                        throw Unsure.INSTANCE;
                    }
                    return end == pos + 1 ? null : java.util.Arrays.copyOfRange(b, pos + 1, end);
                }
                pos = ws(value(pos));
                if (b[pos] == '}') {
                    return null;
                }
                if (b[pos] != ',') {
                    throw Unsure.INSTANCE;
                }
                pos = ws(pos + 1);
            }
        }

        /** Index of the closing quote of the string opening at {@code pos}; sets {@link #escaped}. */
        private int string(int pos) throws Unsure {
            if (b[pos] != '"') {
                throw Unsure.INSTANCE;
            }
            escaped = false;
            int i = pos + 1;
            while (true) {
                i = ByteSearch.indexOfEither(b, i, end, (byte) '"', (byte) '\\');
                if (i < 0) {
                    throw Unsure.INSTANCE;
                }
                if (b[i] == '"') {
                    return i;
                }
                escaped = true;
                i += 2;
            }
        }

        /** Index just after the value starting at {@code pos}. */
        private int value(int pos) throws Unsure {
            byte c = b[pos];
            if (c == '"') {
                return string(pos) + 1;
            }
            if (c == '{' || c == '[') {
                int depth = 0;
                for (int i = pos; i < end; i++) {
                    byte x = b[i];
                    if (x == '"') {
                        i = string(i);
                    } else if (x == '{' || x == '[') {
                        depth++;
                    } else if (x == '}' || x == ']') {
                        if (--depth == 0) {
                            return i + 1;
                        }
                    }
                }
                throw Unsure.INSTANCE;
            }
            for (int i = pos; i < end; i++) {
                byte x = b[i];
                if (x == ',' || x == '}' || x == ']' || x == ' ' || x == '\n' || x == '\r' || x == '\t') {
                    return i;
                }
            }
            throw Unsure.INSTANCE;
        }

        private int colon(int pos) throws Unsure {
            if (b[pos] != ':') {
                throw Unsure.INSTANCE;
            }
            return pos;
        }

        private int ws(int pos) throws Unsure {
            for (int i = pos; i < end; i++) {
                byte c = b[i];
                if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                    return i;
                }
            }
            throw Unsure.INSTANCE;
        }

        private boolean is(int from, int to, byte[] word) throws Unsure {
            if (escaped) {
                throw Unsure.INSTANCE;
            }
            if (to - from != word.length) {
                return false;
            }
            for (int i = 0; i < word.length; i++) {
                if (b[from + i] != word[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    private static byte[] idOf(JsonParser p) throws IOException {
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if ("id".equals(name)) {
                return value == JsonToken.VALUE_STRING && p.getTextLength() > 0
                        ? p.getText().getBytes(StandardCharsets.UTF_8) : null;
            }
            p.skipChildren();
        }
        return null;
    }

    private static boolean startsWith(byte[] buf, int off, int len, byte[] p) {
        return len >= p.length && java.util.Arrays.equals(buf, off, off + p.length, p, 0, p.length);
    }
}
