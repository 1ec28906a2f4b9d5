package dev.bakehouse.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.server.json.Json;

/**
 * A request that fails with a status and a JSON body. Thrown by handlers and written in one
 * place ({@link ApiRoutes}).
 */
public final class HttpFailure extends RuntimeException {
    private final int status;
    private final transient JsonNode body;

    public HttpFailure(int status, JsonNode body, String reason) {
        super(reason);
        this.status = status;
        this.body = body;
    }

    /** A failure whose body is {@code {"error": reason}}. */
    public static HttpFailure of(int status, String reason) {
        ObjectNode body = Json.object();
        body.put("error", reason);
        return new HttpFailure(status, body, reason);
    }

    /** 400 in the {@code POST /prompt} error shape (spec §3.3), used for malformed JSON anywhere. */
    public static HttpFailure badJson(String details) {
        ObjectNode body = Json.object();
        ObjectNode error = body.putObject("error");
        error.put("type", "invalid_prompt");
        error.put("message", "Malformed JSON body");
        error.put("details", details);
        error.putObject("extra_info");
        body.putObject("node_errors");
        return new HttpFailure(400, body, "malformed JSON: " + details);
    }

    public int status() {
        return status;
    }

    public JsonNode body() {
        return body;
    }
}
