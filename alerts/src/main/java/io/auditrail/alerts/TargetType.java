package io.auditrail.alerts;

import java.util.Locale;

/** The payload formats a target speaks. */
public enum TargetType {
    /** A generic JSON webhook: the anomaly plus a one-line summary. */
    WEBHOOK,
    /** A Slack incoming webhook: {@code text} plus Block Kit {@code blocks}. */
    SLACK,
    /** PagerDuty Events API v2 ({@code /v2/enqueue}), deduplicated by anomaly id. */
    PAGERDUTY;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the wire form; throws {@link IllegalArgumentException} naming the bad value. */
    public static TargetType of(String text) {
        for (TargetType t : values()) {
            if (t.wire().equals(text)) {
                return t;
            }
        }
        throw new IllegalArgumentException("not a target type (webhook, slack, pagerduty): " + text);
    }
}
