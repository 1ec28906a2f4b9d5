package dev.bakehouse.node.sd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.ExecutionInterruptedException;
import dev.bakehouse.node.ImageBatch;
import dev.bakehouse.node.NodeContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * A context that records progress steps and previews, and whose interrupt flag is set by the
 * progress report of step {@code interruptAt} (as a user pressing stop while that step is
 * reported); checks then throw like the executor's.
 */
final class RecordingContext implements NodeContext {
    private final DataDirs dirs;
    private final long interruptAt;
    private boolean interrupted;
    final List<Long> steps = new ArrayList<>();
    final List<ImageBatch> previews = new ArrayList<>();

    /** Never interrupted. */
    RecordingContext(DataDirs dirs) {
        this(dirs, -1);
    }

    RecordingContext(DataDirs dirs, long interruptAt) {
        this.dirs = dirs;
        this.interruptAt = interruptAt;
    }

    @Override
    public String promptId() {
        return "test-prompt";
    }

    @Override
    public String nodeId() {
        return "3";
    }

    @Override
    public DataDirs dirs() {
        return dirs;
    }

    @Override
    public ObjectNode prompt() {
        return JsonNodeFactory.instance.objectNode();
    }

    @Override
    public JsonNode extraPngInfo() {
        return null;
    }

    @Override
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Override
    public void progress(long value, long max, ImageBatch preview) {
        previews.add(preview);
        progress(value, max);
    }

    @Override
    public void progress(long value, long max) {
        steps.add(value);
        if (value == interruptAt) {
            interrupted = true;
        }
        checkInterrupted();
    }

    @Override
    public void checkInterrupted() {
        if (interrupted) {
            throw new ExecutionInterruptedException();
        }
    }
}
