package dev.bakehouse.server.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.ExecutionInterruptedException;
import dev.bakehouse.node.ImageBatch;
import dev.bakehouse.node.NodeContext;
import java.time.Clock;

/** The {@link NodeContext} of one node run: forwards progress and watches the interrupt flag. */
record RunContext(String promptId, String nodeId, DataDirs dirs, ObjectNode prompt,
                  JsonNode extraPngInfo, Clock clock, ExecutionListener listener,
                  InterruptFlag interrupt) implements NodeContext {

    @Override
    public void progress(long value, long max) {
        listener.progress(nodeId, value, max);
        checkInterrupted();
    }

    @Override
    public void progress(long value, long max, ImageBatch preview) {
        if (preview == null) {
            listener.progress(nodeId, value, max);
        } else {
            listener.progress(nodeId, value, max, preview);
        }
        checkInterrupted();
    }

    @Override
    public void send(String type, ObjectNode data) {
        NodeContext.requireNamespaced(type);
        listener.nodeEvent(nodeId, type, data);
    }

    @Override
    public void checkInterrupted() {
        if (interrupt.isRequested()) {
            throw new ExecutionInterruptedException();
        }
    }
}
