package dev.bakehouse.server.exec;

import java.util.ArrayList;
import java.util.List;

/** Stack lines for error reports, cut where the executor's own frames begin. */
final class Tracebacks {
    private static final String OWN_PACKAGE = Tracebacks.class.getPackageName() + ".";
    private static final int MAX_LINES = 40;

    private Tracebacks() {}

    /** {@code "  at Class.method(File.java:12)\n"} lines, innermost first, at most 40. */
    static List<String> of(Throwable error) {
        List<String> lines = new ArrayList<>();
        for (StackTraceElement frame : error.getStackTrace()) {
            if (frame.getClassName().startsWith(OWN_PACKAGE) || lines.size() == MAX_LINES) {
                break;
            }
            lines.add("  at " + frame + "\n");
        }
        return lines;
    }
}
