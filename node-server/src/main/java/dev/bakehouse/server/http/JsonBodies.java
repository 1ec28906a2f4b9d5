package dev.bakehouse.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.server.json.Json;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;

/**
 * Request and response JSON. Bodies are parsed whatever their {@code Content-Type} (spec §1.2):
 * some clients post JSON labelled {@code text/plain}.
 */
public final class JsonBodies {
    private JsonBodies() {}

    /** The body as a JSON object; an empty body is {@code {}}; anything else not an object is 400. */
    public static ObjectNode object(Context ctx) {
        if (ctx.body().isBlank()) {
            return Json.object();
        }
        JsonNode body = value(ctx);
        if (!(body instanceof ObjectNode object)) {
            throw HttpFailure.badJson("the body must be a JSON object, found " + body.getNodeType());
        }
        return object;
    }

    /** The body as any JSON value; an empty or malformed body is 400. */
    public static JsonNode value(Context ctx) {
        if (ctx.body().isBlank()) {
            throw HttpFailure.badJson("the body is empty; a JSON value is required");
        }
        try {
            return Json.parse(ctx.body());
        } catch (JsonProcessingException e) {
            throw HttpFailure.badJson(e.getOriginalMessage());
        }
    }

    /** Strings of a JSON array field ({@code "delete": [...]}); absent → empty. */
    public static List<String> strings(JsonNode body, String field) {
        List<String> values = new ArrayList<>();
        JsonNode array = body.get(field);
        if (array != null && array.isArray()) {
            array.forEach(v -> values.add(Json.pythonStr(v)));
        }
        return values;
    }

    /** Writes a JSON response with the protocol's content type. */
    public static void respond(Context ctx, JsonNode body) {
        respondRaw(ctx, Json.write(body));
    }

    /** Writes already-serialized JSON text. */
    public static void respondRaw(Context ctx, String json) {
        ctx.contentType("application/json; charset=utf-8");
        ctx.result(json);
    }

    /** The "empty 200" of spec §1.4, answered as {@code {}}. */
    public static void empty(Context ctx) {
        respondRaw(ctx, "{}");
    }
}
