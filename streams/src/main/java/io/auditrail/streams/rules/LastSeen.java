package io.auditrail.streams.rules;

/** When (event time, epoch ms) something was last seen. */
public record LastSeen(long timeMs) {
}
