package dev.bakehouse.node;

/**
 * Outcome of a node's own input validation ({@link Node#validateInputs}).
 *
 * @param valid  whether the inputs are acceptable
 * @param reason text appended to the error's {@code details} ({@code "<input> - <reason>"}), or
 *               {@code null} for a bare "invalid" (ComfyUI's {@code False})
 */
public record ValidationResult(boolean valid, String reason) {
    private static final ValidationResult OK = new ValidationResult(true, null);

    public static ValidationResult ok() {
        return OK;
    }

    /** Invalid, with a reason such as {@code "Invalid image file: x.png"}. */
    public static ValidationResult invalid(String reason) {
        return new ValidationResult(false, reason);
    }

    /** Invalid without a reason. */
    public static ValidationResult invalid() {
        return new ValidationResult(false, null);
    }
}
