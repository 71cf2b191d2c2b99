package io.auditrail.archive;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where one archive object lives: {@code raw/yyyy/MM/dd/HH/<first time>-<last time>-p<partition>-<first offset>-<last
 * offset>.ndjson.gz}. Times are the raw records' Kafka timestamps (UTC, millisecond), so keys sort by time, the hour
 * folder is that of the first line, and the key alone says which lines of which partition the object holds.
 * Everything in the key comes from the records themselves: the same lines always give the same key.
 */
public record ObjectKey(Instant firstTime, Instant lastTime, int partition, long firstOffset, long lastOffset) {
    public static final String PREFIX = "raw/";
    public static final String SUFFIX = ".ndjson.gz";

    static final DateTimeFormatter HOUR_PATH = DateTimeFormatter.ofPattern("yyyy/MM/dd/HH/").withZone(ZoneOffset.UTC);
    static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern KEY = Pattern.compile("raw/\\d{4}/\\d{2}/\\d{2}/\\d{2}/(\\d{8}T\\d{9}Z)-(\\d{8}T\\d{9}Z)"
            + "-p(\\d{4,})-(\\d{20})-(\\d{20})\\.ndjson\\.gz");

    public ObjectKey {
        if (partition < 0 || firstOffset < 0 || lastOffset < firstOffset || lastTime.isBefore(firstTime)) {
            throw new IllegalArgumentException("bad object range: p" + partition + " " + firstOffset + ".." + lastOffset
                    + " " + firstTime + ".." + lastTime);
        }
    }

    public String key() {
        return PREFIX + HOUR_PATH.format(firstTime) + STAMP.format(firstTime) + "-" + STAMP.format(lastTime)
                + String.format("-p%04d-%020d-%020d", partition, firstOffset, lastOffset) + SUFFIX;
    }

    /** The hour folder of an instant, {@code raw/yyyy/MM/dd/HH/}: list it to find the objects whose first line is then. */
    public static String hourPrefix(Instant t) {
        return PREFIX + HOUR_PATH.format(t);
    }

    public boolean contains(int p, long offset) {
        return p == partition && offset >= firstOffset && offset <= lastOffset;
    }

    public long offsetCount() {
        return lastOffset - firstOffset + 1;
    }

    /** The key's parts, or empty when the key is not an archive object's (foreign files in the bucket are ignored). */
    public static Optional<ObjectKey> parse(String key) {
        Matcher m = KEY.matcher(key);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ObjectKey(parseStamp(m.group(1)), parseStamp(m.group(2)),
                    Integer.parseInt(m.group(3)), Long.parseLong(m.group(4)), Long.parseLong(m.group(5))));
        } catch (DateTimeParseException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static Instant parseStamp(String stamp) {
        return STAMP.parse(stamp, Instant::from);
    }

    @Override
    public String toString() {
        return key();
    }
}
