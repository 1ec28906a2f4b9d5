package dev.bakehouse.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Compact one-line names of WebSocket messages, so tests can compare whole sequences. */
public final class Sequences {
    private Sequences() {}

    public static List<String> summarize(List<JsonNode> messages) {
        List<String> lines = new ArrayList<>();
        messages.forEach(m -> lines.add(summarize(m)));
        return lines;
    }

    /**
     * {@code status 1}, {@code execution_cached [1]}, {@code executing 1}, {@code executing null},
     * {@code progress 2/3}, {@code progress_state 1=running}, {@code executed 1}, or the bare type.
     */
    public static String summarize(JsonNode message) {
        String type = message.path("type").asText();
        JsonNode data = message.path("data");
        return switch (type) {
            case "status" -> "status " + data.path("status").path("exec_info").path("queue_remaining").asInt();
            case "execution_cached" -> "execution_cached " + texts(data.path("nodes"));
            case "executing" -> "executing " + (data.path("node").isNull() ? "null" : data.path("node").asText());
            case "progress" -> "progress " + data.path("value").asLong() + "/" + data.path("max").asLong();
            case "executed" -> "executed " + data.path("node").asText();
            case "binary" -> "binary " + data.path("event").asInt();
            case "progress_state" -> {
                List<String> states = new ArrayList<>();
                data.path("nodes").fields().forEachRemaining(
                        e -> states.add(e.getKey() + "=" + e.getValue().path("state").asText()));
                yield "progress_state " + String.join(",", states);
            }
            default -> type;
        };
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
