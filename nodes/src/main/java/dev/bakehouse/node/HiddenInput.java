package dev.bakehouse.node;

/**
 * A value the server fills in for a node, never written in prompts (spec §6.6). The executor
 * hands these to nodes through {@link NodeContext}; declaring them makes them appear under
 * {@code input.hidden} in {@code /object_info}, and {@link #UNIQUE_ID} puts the node id into
 * the node's cache key.
 */
public enum HiddenInput {
    /** The whole API prompt ({@link NodeContext#prompt()}). */
    PROMPT("prompt"),
    /** {@code extra_data.extra_pnginfo} ({@link NodeContext#extraPngInfo()}). */
    EXTRA_PNGINFO("extra_pnginfo"),
    /** The node's own id ({@link NodeContext#nodeId()}). */
    UNIQUE_ID("unique_id");

    private final String inputName;

    HiddenInput(String inputName) {
        this.inputName = inputName;
    }

    /** The key used under {@code input.hidden}, as ComfyUI's built-in nodes name it. */
    public String inputName() {
        return inputName;
    }
}
