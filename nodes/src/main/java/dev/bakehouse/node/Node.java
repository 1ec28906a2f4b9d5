package dev.bakehouse.node;

import java.util.Map;

/**
 * One node type of the graph: one final class per node. The server keeps one instance per
 * (prompt node id, class) between prompts, so an implementation may hold state such as a loaded
 * model; {@link #spec()}, {@link #fingerprint} and {@link #validateInputs} are asked of a
 * shared prototype instance and must not depend on per-instance state.
 */
public interface Node {

    /** No {@code IS_CHANGED}: the cache key is made of the inputs alone. */
    Object NO_FINGERPRINT = Boolean.FALSE;

    /**
     * A fingerprint that never equals a previous one (ComfyUI's NaN), so the node re-runs on every
     * prompt. The executor treats every {@code NaN} fingerprint this way.
     */
    Object ALWAYS_CHANGED = Double.NaN;

    /** The node's declaration; must return the same value on every call. */
    NodeSpec spec();

    /**
     * Runs the node once (for list inputs see {@link NodeSpec#inputIsList()}).
     *
     * @param inputs literal and linked inputs by name; absent optional inputs are missing
     * @param ctx    progress, interrupt checks, folders and hidden values
     * @return one value per declared output, plus an optional UI output
     * @throws ExecutionInterruptedException when {@code ctx} noticed an interrupt
     * @throws Exception                     any failure, reported as an {@code execution_error}
     */
    NodeResult execute(NodeInputs inputs, NodeContext ctx) throws Exception;

    /**
     * ComfyUI's {@code IS_CHANGED}: a fingerprint of outside state the node reads (for example a
     * file's hash). It joins the cache key, so a changed value re-runs the node. Receives the
     * literal inputs only (linked inputs are missing). A thrown exception counts as
     * {@link #ALWAYS_CHANGED}.
     */
    default Object fingerprint(NodeInputs literalInputs) throws Exception {
        return NO_FINGERPRINT;
    }

    /**
     * ComfyUI's {@code VALIDATE_INPUTS}, called at {@code POST /prompt} for the inputs named in
     * {@link NodeSpec#customValidated()} (linked ones arrive missing, since nothing has run).
     *
     * @param literalInputs  the custom-validated inputs that hold literals, after coercion
     * @param linkedTypes    upstream output type per linked input, when
     *                       {@link NodeSpec#validatesInputTypes()} is set; otherwise empty
     * @return {@link ValidationResult#ok()} or the reason shown to the user
     */
    default ValidationResult validateInputs(NodeInputs literalInputs, Map<String, String> linkedTypes)
            throws Exception {
        return ValidationResult.ok();
    }
}
