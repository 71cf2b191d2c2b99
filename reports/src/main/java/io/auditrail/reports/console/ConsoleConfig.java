package io.auditrail.reports.console;

import io.auditrail.core.config.Settings;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/** Settings of the auditor console (docs/CONSOLE.md). */
public final class ConsoleConfig extends AbstractConfig {
    public static final String BEHIND_TLS = "reports.console.behind.tls";
    private static final String BEHIND_TLS_DOC = "Whether the console is reached over HTTPS (directly or through a "
            + "TLS proxy), so its session cookie is marked Secure, named with the __Host- prefix, and pages carry "
            + "Strict-Transport-Security. auto: yes, but for a request over plain http whose Host and local address "
            + "are both loopback (http://127.0.0.1 on this machine, as 'auditrail dev'); true: always; false: never "
            + "(a console reached over plain http from elsewhere: the session then travels in clear).";
    public static final String SESSION_IDLE_MINUTES = "reports.console.session.idle.minutes";
    private static final String SESSION_IDLE_MINUTES_DOC = "A console session without a request for this long is "
            + "ended (the browser must sign in again).";
    public static final String SESSION_MAX_HOURS = "reports.console.session.max.hours";
    private static final String SESSION_MAX_HOURS_DOC = "A console session ends this long after sign-in, however "
            + "busy: the cookie it rides on is worth at most this much to whoever copies it.";
    public static final String PACK_DEFAULT_DAYS = "reports.console.pack.default.days";
    private static final String PACK_DEFAULT_DAYS_DOC = "The period the evidence-pack page proposes: this many days "
            + "ending at the next UTC midnight.";

    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(BEHIND_TLS, Type.STRING, "auto", ConfigDef.ValidString.in("auto", "true", "false"),
                    Importance.HIGH, BEHIND_TLS_DOC)
            .define(SESSION_IDLE_MINUTES, Type.INT, 30, Range.between(1, 1440), Importance.MEDIUM,
                    SESSION_IDLE_MINUTES_DOC)
            .define(SESSION_MAX_HOURS, Type.INT, 12, Range.between(1, 168), Importance.MEDIUM, SESSION_MAX_HOURS_DOC)
            .define(PACK_DEFAULT_DAYS, Type.INT, 90, Range.between(1, 366), Importance.LOW, PACK_DEFAULT_DAYS_DOC);

    public ConsoleConfig(Settings settings) {
        super(DEFINITION, settings.only(DEFINITION), false);
    }

    /** auto, true or false ({@link SessionCookie.Mode}). */
    public String behindTls() {
        return getString(BEHIND_TLS);
    }

    public java.time.Duration sessionIdle() {
        return java.time.Duration.ofMinutes(getInt(SESSION_IDLE_MINUTES));
    }

    public java.time.Duration sessionMaxAge() {
        return java.time.Duration.ofHours(getInt(SESSION_MAX_HOURS));
    }

    public int packDefaultDays() {
        return getInt(PACK_DEFAULT_DAYS);
    }
}
