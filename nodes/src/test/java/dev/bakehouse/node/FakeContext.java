package dev.bakehouse.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link NodeContext} for calling nodes directly in tests; records progress reports and sent
 * events, and can play an interrupt that arrives once progress reaches a given value.
 */
public final class FakeContext implements NodeContext {
    private final DataDirs dirs;
    private final ObjectNode prompt;
    private final JsonNode extraPngInfo;
    private final Clock clock;
    public final List<long[]> progress = new ArrayList<>();
    public final List<Map.Entry<String, ObjectNode>> sent = new ArrayList<>();
    private long interruptAt = Long.MAX_VALUE;
    private boolean interrupted;

    public FakeContext(DataDirs dirs, ObjectNode prompt, JsonNode extraPngInfo, Clock clock) {
        this.dirs = dirs;
        this.prompt = prompt;
        this.extraPngInfo = extraPngInfo;
        this.clock = clock;
    }

    public FakeContext(DataDirs dirs) {
        this(dirs, JsonNodeFactory.instance.objectNode(), null, Clock.systemDefaultZone());
    }

    @Override
    public String promptId() {
        return "test-prompt";
    }

    @Override
    public String nodeId() {
        return "1";
    }

    @Override
    public DataDirs dirs() {
        return dirs;
    }

    @Override
    public ObjectNode prompt() {
        return prompt;
    }

    @Override
    public JsonNode extraPngInfo() {
        return extraPngInfo;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    /** From the progress report of {@code value} on, the context reports an interrupt (as /interrupt would). */
    public FakeContext interruptAt(long value) {
        interruptAt = value;
        return this;
    }

    @Override
    public void progress(long value, long max) {
        progress.add(new long[] {value, max});
        interrupted |= value >= interruptAt;
        checkInterrupted();
    }

    @Override
    public void send(String type, ObjectNode data) {
        NodeContext.requireNamespaced(type);
        sent.add(Map.entry(type, data));
    }

    @Override
    public void checkInterrupted() {
        if (interrupted) {
            throw new ExecutionInterruptedException();
        }
    }
}
