package dev.bakehouse.node.primitive;

/** What the primitive nodes share. */
final class Primitives {
    /** Menu path of ComfyUI's primitive nodes. */
    static final String CATEGORY = "utils/primitive";
    /** ComfyUI bounds its primitive floats by Python's {@code sys.maxsize}. */
    static final double FLOAT_LIMIT = Long.MAX_VALUE;

    private Primitives() {}
}
