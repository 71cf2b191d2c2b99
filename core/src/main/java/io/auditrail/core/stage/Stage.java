package io.auditrail.core.stage;

/**
 * A running stage of the pipeline, as every stage is built: each has a static {@code start(Settings, MeterRegistry)}
 * that returns it running, one not-ready reason that covers every thread and connection it owns, and one close.
 * The CLI, dev mode and {@code /readyz} need nothing else from a stage.
 */
public interface Stage extends AutoCloseable {
    /** The stage's name, as in its metrics ({@code auditrail.<name>.records}) and on {@code /readyz}. */
    String name();

    /**
     * Null when the stage does its job; otherwise why not, in one line naming the part that is not (a thread that
     * died, a service it cannot reach). Never the text of a server's error, which may quote data.
     */
    String notReadyReason();

    /** Ready when {@link #notReadyReason()} has nothing to say. */
    default boolean isReady() {
        return notReadyReason() == null;
    }

    /** Stops every thread the stage owns and releases what it holds; safe to call twice. */
    @Override
    void close();
}
