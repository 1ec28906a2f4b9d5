package dev.bakehouse.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;

/** What a running node may ask of the executor. One context per node run. */
public interface NodeContext {

    /** Id of the prompt being executed. */
    String promptId();

    /** The node's id in the prompt (hidden {@code UNIQUE_ID}). */
    String nodeId();

    /** The data folders (input, output, temp, models, datasets). */
    DataDirs dirs();

    /** The whole API prompt after validation (hidden {@code PROMPT}); do not modify it. */
    ObjectNode prompt();

    /** {@code extra_data.extra_pnginfo} (hidden {@code EXTRA_PNGINFO}), or {@code null}. */
    JsonNode extraPngInfo();

    /** The clock for timestamps and file-name placeholders (injected so tests control time). */
    Clock clock();

    /**
     * Reports step progress ({@code value} of {@code max}) to the client, then checks for an
     * interrupt.
     *
     * @throws ExecutionInterruptedException if an interrupt was requested
     */
    void progress(long value, long max);

    /**
     * Reports step progress with a preview of the work so far (a sampler's current image), which
     * the server may show to clients (spec §5.6), then checks for an interrupt.
     *
     * @param preview one image (batch of one); {@code null} behaves like {@link #progress(long, long)}
     * @throws ExecutionInterruptedException if an interrupt was requested
     */
    default void progress(long value, long max, ImageBatch preview) {
        progress(value, max);
    }

    /**
     * Sends a node's own event to the prompt's client over the WebSocket (to every client when the
     * prompt has none), as {@code {"type": type, "data": data}} with {@code prompt_id} and
     * {@code node} added to {@code data}; a live loss chart, for example. Callers without a client
     * (the CLI, tests) drop it.
     *
     * @param type a namespaced name such as {@code bakehouse.train}, so it never collides with
     *             ComfyUI's own events
     * @throws IllegalArgumentException if {@code type} has no namespace (no dot)
     */
    default void send(String type, ObjectNode data) {
        requireNamespaced(type);
    }

    /** Checks {@link #send}'s event name. */
    static void requireNamespaced(String type) {
        if (type == null || type.indexOf('.') <= 0 || type.endsWith(".")) {
            throw new IllegalArgumentException("a node's event type must be namespaced like 'bakehouse.train', found '"
                    + type + "'");
        }
    }

    /**
     * Throws if an interrupt was requested; long loops call this (or {@link #progress}) often.
     *
     * @throws ExecutionInterruptedException if an interrupt was requested
     */
    void checkInterrupted();
}
