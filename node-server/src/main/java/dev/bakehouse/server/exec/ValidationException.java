package dev.bakehouse.server.exec;

import java.util.List;

/**
 * An exception raised while validating one node (a link to a node that is not in the prompt, a
 * bad slot index, a node's own validation throwing). The reference files it under the node that
 * holds the broken part, reported by the node that linked to it (spec §6.8), so it travels up
 * one level as an exception, carrying the Python-style type and text clients see.
 */
final class ValidationException extends Exception {
    private final String pythonType;
    private final String pythonMessage;
    private final List<String> traceback;

    ValidationException(String pythonType, String pythonMessage, List<String> traceback) {
        super(pythonType + ": " + pythonMessage);
        this.pythonType = pythonType;
        this.pythonMessage = pythonMessage;
        this.traceback = List.copyOf(traceback);
    }

    /** A failed lookup of a linked node id: Python's {@code KeyError}, text {@code '7'}. */
    static ValidationException missingNode(String quotedId) {
        return new ValidationException("KeyError", quotedId, List.of());
    }

    /** Wraps an exception thrown by node code. */
    static ValidationException of(Exception e) {
        return new ValidationException(e.getClass().getName(),
                e.getMessage() == null ? "" : e.getMessage(), Tracebacks.of(e));
    }

    String pythonType() {
        return pythonType;
    }

    String pythonMessage() {
        return pythonMessage;
    }

    List<String> traceback() {
        return traceback;
    }
}
