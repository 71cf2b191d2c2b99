package io.auditrail.app.health;

/** One thing a process needs before it can do its job; checked by doing a small piece of that job. */
public interface ReadinessCheck {
    String name();

    /** Returns normally when ready; throws with the reason when not. Must finish within a few seconds. */
    void check() throws Exception;
}
