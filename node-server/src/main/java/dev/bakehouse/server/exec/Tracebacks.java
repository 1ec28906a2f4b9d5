package dev.bakehouse.server.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Stack lines for error reports: the node's own frames, cut where the executor called it. */
final class Tracebacks {
    /** The classes that call into node code; frames from here down are ours, not the node's. */
    private static final Set<String> CALLERS =
            Set.of(NodeRunner.class.getName(), NodeValidator.class.getName());
    private static final int MAX_LINES = 40;

    private Tracebacks() {}

    /** {@code "  at Class.method(File.java:12)\n"} lines, innermost first, at most 40. */
    static List<String> of(Throwable error) {
        List<String> lines = new ArrayList<>();
        for (StackTraceElement frame : error.getStackTrace()) {
            if (CALLERS.contains(frame.getClassName()) || lines.size() == MAX_LINES) {
                break;
            }
            lines.add("  at " + frame + "\n");
        }
        return lines;
    }
}
