package io.auditrail.streams.codec;

import io.auditrail.core.event.Actor;
import io.auditrail.core.event.AuditEvent;
import io.auditrail.core.event.Outcome;
import io.auditrail.core.event.PairedEvent;
import io.auditrail.core.event.Pairing;
import io.auditrail.core.event.PairingStatus;
import io.auditrail.core.event.RawPosition;
import io.auditrail.core.tenant.TenantSource;
import io.auditrail.streams.pairing.WaitingEntry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The streams stage's own binary form of an event, for what only the stage reads back: the pairing store and the
 * repartition topic to detection. JSON stays the contract of the public topics; here every event is written once and
 * read once per hop, and Jackson's databind over the records was a quarter of the stream thread's CPU. Fields in a
 * fixed order, strings as UTF-8 with a length, absent values as a marker; the first byte is the format version, so
 * a value written as JSON before this format (it starts with '{') is told apart and read by the caller's fallback.
 */
public final class CompactEvents {
    /** The format's version byte; never '{' (0x7B), which starts the JSON written before it. */
    static final byte VERSION = 1;

    private CompactEvents() {
    }

    /** Whether these bytes are in this format (else they are the JSON of an earlier version). */
    public static boolean isCompact(byte[] bytes) {
        return bytes.length > 0 && bytes[0] == VERSION;
    }

    public static byte[] pairedEvent(PairedEvent e) {
        Out out = new Out(512);
        out.b(VERSION);
        event(out, e.event());
        Pairing p = e.pairing();
        out.enumName(p.status());
        out.str(p.counterpartEventId());
        out.enumName(p.responseOutcome());
        out.str(p.responseError());
        out.optLong(p.issuedTokenTtl());
        return out.bytes();
    }

    public static PairedEvent pairedEvent(byte[] bytes) {
        In in = new In(bytes);
        in.version();
        AuditEvent event = event(in);
        Pairing pairing = new Pairing(in.enumValue(PairingStatus.class), in.str(), in.enumValue(Outcome.class),
                in.str(), in.optLong());
        return new PairedEvent(event, pairing);
    }

    public static byte[] waitingEntry(WaitingEntry w) {
        Out out = new Out(512);
        out.b(VERSION);
        event(out, w.event());
        out.varLong(w.sinceMs());
        out.str(w.replayOrigin());
        return out.bytes();
    }

    public static WaitingEntry waitingEntry(byte[] bytes) {
        In in = new In(bytes);
        in.version();
        return new WaitingEntry(event(in), in.varLong(), in.str());
    }

    private static void event(Out out, AuditEvent e) {
        out.varLong(e.schema());
        out.str(e.eventId());
        out.str(e.requestId());
        out.str(e.type());
        out.instant(e.time());
        out.str(e.tenantId());
        out.enumName(e.tenantSource());
        out.str(e.actorTenantId());
        out.str(e.pathTenantId());
        out.str(e.operation());
        out.str(e.path());
        out.str(e.secretPath());
        out.str(e.mountType());
        out.str(e.mountPoint());
        out.str(e.namespace());
        out.enumName(e.outcome());
        out.str(e.error());
        Actor a = e.actor();
        out.bool(a != null);
        if (a != null) {
            out.str(a.entityId());
            out.str(a.displayName());
            out.strings(a.policies());
            out.str(a.tokenType());
            out.optLong(a.tokenTtl());
            out.str(a.accessor());
            out.str(a.remoteAddress());
            out.optLong(a.remotePort() == null ? null : a.remotePort().longValue());
        }
        out.optLong(e.issuedTokenTtl());
        out.str(e.forwardedFrom());
        out.strings(e.rawLogging());
        RawPosition s = e.source();
        out.bool(s != null);
        if (s != null) {
            out.varLong(s.partition());
            out.varLong(s.offset());
        }
    }

    private static AuditEvent event(In in) {
        int schema = (int) in.varLong();
        String eventId = in.str();
        String requestId = in.str();
        String type = in.str();
        Instant time = in.instant();
        String tenantId = in.str();
        TenantSource tenantSource = in.enumValue(TenantSource.class);
        String actorTenantId = in.str();
        String pathTenantId = in.str();
        String operation = in.str();
        String path = in.str();
        String secretPath = in.str();
        String mountType = in.str();
        String mountPoint = in.str();
        String namespace = in.str();
        Outcome outcome = in.enumValue(Outcome.class);
        String error = in.str();
        Actor actor = null;
        if (in.bool()) {
            String entityId = in.str();
            String displayName = in.str();
            List<String> policies = in.strings();
            String tokenType = in.str();
            Long tokenTtl = in.optLong();
            String accessor = in.str();
            String remoteAddress = in.str();
            Long port = in.optLong();
            actor = new Actor(entityId, displayName, policies, tokenType, tokenTtl, accessor, remoteAddress,
                    port == null ? null : port.intValue());
        }
        Long issuedTokenTtl = in.optLong();
        String forwardedFrom = in.str();
        List<String> rawLogging = in.strings();
        RawPosition source = in.bool() ? new RawPosition((int) in.varLong(), in.varLong()) : null;
        return new AuditEvent(schema, eventId, requestId, type, time, tenantId, tenantSource, actorTenantId,
                pathTenantId, operation, path, secretPath, mountType, mountPoint, namespace, outcome, error, actor,
                issuedTokenTtl, forwardedFrom, rawLogging, source);
    }

    /** A growable buffer with the few primitives the format needs. */
    private static final class Out {
        private byte[] buf;
        private int len;

        Out(int capacity) {
            buf = new byte[capacity];
        }

        void b(int v) {
            ensure(1);
            buf[len++] = (byte) v;
        }

        void bool(boolean v) {
            b(v ? 1 : 0);
        }

        /** Zig-zag varint: small magnitudes, either sign, in few bytes. */
        void varLong(long v) {
            long z = (v << 1) ^ (v >> 63);
            ensure(10);
            while ((z & ~0x7FL) != 0) {
                buf[len++] = (byte) ((z & 0x7F) | 0x80);
                z >>>= 7;
            }
            buf[len++] = (byte) z;
        }

        void optLong(Long v) {
            bool(v != null);
            if (v != null) {
                varLong(v);
            }
        }

        /** By name, not ordinal: a stored value outlives a reordering of the enum's constants. */
        void enumName(Enum<?> e) {
            str(e == null ? null : e.name());
        }

        void instant(Instant t) {
            bool(t != null);
            if (t != null) {
                varLong(t.getEpochSecond());
                varLong(t.getNano());
            }
        }

        /** -1 for null, else the UTF-8 length and bytes. */
        void str(String s) {
            if (s == null) {
                varLong(-1);
                return;
            }
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            varLong(utf8.length);
            ensure(utf8.length);
            System.arraycopy(utf8, 0, buf, len, utf8.length);
            len += utf8.length;
        }

        void strings(List<String> list) {
            varLong(list.size());
            for (String s : list) {
                str(s);
            }
        }

        private void ensure(int more) {
            if (len + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
            }
        }

        byte[] bytes() {
            return Arrays.copyOf(buf, len);
        }
    }

    /** Reads what {@link Out} wrote; a value cut short or out of range fails loudly, never misreads. */
    private static final class In {
        private final byte[] buf;
        private int pos;

        In(byte[] buf) {
            this.buf = buf;
        }

        void version() {
            if (buf.length == 0 || buf[0] != VERSION) {
                throw new IllegalArgumentException("not a compact event (version byte " + (buf.length == 0 ? "missing"
                        : Integer.toString(buf[0])) + ")");
            }
            pos = 1;
        }

        private int next() {
            if (pos >= buf.length) {
                throw new IllegalArgumentException("compact event cut short at byte " + pos);
            }
            return buf[pos++];
        }

        boolean bool() {
            return next() != 0;
        }

        long varLong() {
            long z = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = next();
                z |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return (z >>> 1) ^ -(z & 1);
                }
            }
            throw new IllegalArgumentException("compact event: varint too long at byte " + pos);
        }

        Long optLong() {
            return bool() ? varLong() : null;
        }

        <E extends Enum<E>> E enumValue(Class<E> type) {
            String name = str();
            return name == null ? null : Enum.valueOf(type, name);
        }

        Instant instant() {
            return bool() ? Instant.ofEpochSecond(varLong(), varLong()) : null;
        }

        String str() {
            long n = varLong();
            if (n == -1) {
                return null;
            }
            if (n < 0 || n > buf.length - pos) {
                throw new IllegalArgumentException("compact event: string of " + n + " bytes at byte " + pos);
            }
            String s = new String(buf, pos, (int) n, StandardCharsets.UTF_8);
            pos += (int) n;
            return s;
        }

        List<String> strings() {
            long n = varLong();
            if (n < 0 || n > buf.length - pos) {
                throw new IllegalArgumentException("compact event: list of " + n + " at byte " + pos);
            }
            List<String> out = new ArrayList<>((int) n);
            for (int i = 0; i < n; i++) {
                out.add(str());
            }
            return out;
        }
    }
}
