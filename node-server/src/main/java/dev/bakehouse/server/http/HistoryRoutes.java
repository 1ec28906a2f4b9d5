package dev.bakehouse.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.server.store.HistoryStore;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/** {@code GET /history}, {@code GET /history/{id}}, {@code POST /history} (spec §3.7). */
public final class HistoryRoutes {
    private final HistoryStore history;

    public HistoryRoutes(HistoryStore history) {
        this.history = history;
    }

    public void register(ApiRouter router) {
        router.get("/history", this::list);
        router.get("/history/{prompt_id}", this::one);
        router.post("/history", this::post);
    }

    private void list(Context ctx) {
        Map<String, String> entries = history.select(intParam(ctx, "max_items"), intParam(ctx, "offset"));
        JsonBodies.respondRaw(ctx, rawObject(entries));
    }

    private void one(Context ctx) {
        String id = ctx.pathParam("prompt_id");
        JsonBodies.respondRaw(ctx, history.get(id).map(entry -> rawObject(Map.of(id, entry))).orElse("{}"));
    }

    private void post(Context ctx) {
        ObjectNode body = JsonBodies.object(ctx);
        if (body.path("clear").asBoolean(false)) {
            history.clear();
        }
        List<String> delete = JsonBodies.strings(body, "delete");
        if (!delete.isEmpty()) {
            history.delete(delete);
        }
        JsonBodies.empty(ctx);
    }

    /** Joins stored entry JSON under their ids without parsing it again. */
    private static String rawObject(Map<String, String> entries) {
        StringBuilder json = new StringBuilder(entries.size() * 1024 + 2).append('{');
        boolean first = true;
        for (Map.Entry<String, String> entry : entries.entrySet()) {
            if (!first) {
                json.append(',');
            }
            first = false;
            json.append(com.fasterxml.jackson.databind.node.TextNode.valueOf(entry.getKey()).toString())
                    .append(':')
                    .append(entry.getValue());
        }
        return json.append('}').toString();
    }

    /** An integer query parameter; absent or not an integer → null (unknown values are ignored). */
    private static Integer intParam(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
