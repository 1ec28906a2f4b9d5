package dev.bakehouse.server.exec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Writes every listener call as one line, so tests can compare whole event sequences. */
final class RecordingListener implements ExecutionListener {
    final List<String> events = new ArrayList<>();

    @Override
    public void executionStart() {
        events.add("start");
    }

    @Override
    public void executionCached(List<String> nodeIds) {
        events.add("cached " + nodeIds);
    }

    @Override
    public void nodeStarting(String nodeId) {
        events.add("starting " + nodeId);
    }

    @Override
    public void progress(String nodeId, long value, long max) {
        events.add("progress " + nodeId + " " + value + "/" + max);
    }

    @Override
    public void progress(String nodeId, long value, long max, dev.bakehouse.node.ImageBatch preview) {
        events.add("progress " + nodeId + " " + value + "/" + max + " with " + preview);
    }

    @Override
    public void executed(String nodeId, ObjectNode ui) {
        events.add("executed " + nodeId + " " + ui);
    }

    @Override
    public void nodeFinished(String nodeId) {
        events.add("finished " + nodeId);
    }

    /** The ids of nodes that started running, in order. */
    List<String> started() {
        return events.stream().filter(e -> e.startsWith("starting ")).map(e -> e.substring(9)).toList();
    }
}
