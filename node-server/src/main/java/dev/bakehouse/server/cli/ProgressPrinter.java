package dev.bakehouse.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.server.exec.ExecutionListener;
import java.io.PrintWriter;
import java.util.List;

/**
 * Prints a headless run's progress: one line per node, with a bar redrawn in place while the
 * node reports steps, and the files each output node wrote.
 */
final class ProgressPrinter implements ExecutionListener {
    private static final int BAR_WIDTH = 30;

    private final ObjectNode prompt;
    private final PrintWriter err;
    private final PrintWriter out;
    private boolean barOpen;

    ProgressPrinter(ObjectNode prompt, PrintWriter err, PrintWriter out) {
        this.prompt = prompt;
        this.err = err;
        this.out = out;
    }

    @Override
    public void executionCached(List<String> nodeIds) {
        if (!nodeIds.isEmpty()) {
            err.println("cached: " + String.join(", ", nodeIds));
        }
    }

    @Override
    public void nodeStarting(String nodeId) {
        closeBar();
        err.println("node " + label(nodeId));
    }

    @Override
    public void progress(String nodeId, long value, long max) {
        err.print("\r  " + bar(value, max));
        err.flush();
        barOpen = true;
    }

    @Override
    public void executed(String nodeId, ObjectNode ui) {
        closeBar();
        if (ui == null) {
            return;
        }
        ui.fields().forEachRemaining(kind -> {
            for (JsonNode item : kind.getValue()) {
                if (item.has("filename")) {
                    String subfolder = item.path("subfolder").asText("");
                    out.println(item.path("type").asText("output") + "/"
                            + (subfolder.isEmpty() ? "" : subfolder + "/") + item.path("filename").asText());
                } else if (item.isTextual()) {
                    out.println(item.asText()); // a node's text output (a table, a report) as it reads
                } else {
                    out.println(kind.getKey() + ": " + item);
                }
            }
        });
    }

    @Override
    public void nodeFinished(String nodeId) {
        closeBar();
    }

    /** {@code [#######.......]  7/20} */
    static String bar(long value, long max) {
        long clamped = Math.max(0, Math.min(value, max));
        int filled = max <= 0 ? BAR_WIDTH : (int) (BAR_WIDTH * clamped / max);
        return "[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "] " + value + "/" + max;
    }

    private String label(String nodeId) {
        return nodeId + " (" + prompt.path(nodeId).path("class_type").asText("?") + ")";
    }

    private void closeBar() {
        if (barOpen) {
            err.println();
            barOpen = false;
        }
    }
}
