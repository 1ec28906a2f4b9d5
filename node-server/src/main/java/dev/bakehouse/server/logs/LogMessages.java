package dev.bakehouse.server.logs;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.server.json.Json;
import java.util.List;

/**
 * The JSON shape of log lines shared by {@code GET /internal/logs/raw} and the {@code logs}
 * WebSocket message: {@code {"entries": [{"t", "m"}], "size": {"cols", "rows"}}}.
 */
public final class LogMessages {
    /** We have no terminal; the frontend needs a size, and 80x24 is the classic one. */
    private static final int COLUMNS = 80;
    private static final int ROWS = 24;

    private LogMessages() {}

    public static ObjectNode of(List<LogRing.Entry> lines) {
        ObjectNode body = Json.object();
        ArrayNode entries = body.putArray("entries");
        for (LogRing.Entry line : lines) {
            entries.addObject().put("t", line.time()).put("m", line.message());
        }
        body.putObject("size").put("cols", COLUMNS).put("rows", ROWS);
        return body;
    }
}
