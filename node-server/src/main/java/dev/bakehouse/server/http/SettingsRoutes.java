package dev.bakehouse.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.bakehouse.server.store.SettingsStore;
import io.javalin.http.Context;

/** The frontend's settings (spec §3.15): {@code /settings} and {@code /settings/{id}}. */
public final class SettingsRoutes {
    private final SettingsStore settings;

    public SettingsRoutes(SettingsStore settings) {
        this.settings = settings;
    }

    public void register(ApiRouter router) {
        router.get("/settings", ctx -> JsonBodies.respond(ctx, settings.all()));
        router.get("/settings/{id}", this::one);
        router.post("/settings", this::merge);
        router.post("/settings/{id}", this::put);
    }

    /** The value, or JSON {@code null} for a setting never written. */
    private void one(Context ctx) {
        JsonNode value = settings.all().get(ctx.pathParam("id"));
        JsonBodies.respond(ctx, value == null ? NullNode.getInstance() : value);
    }

    private void merge(Context ctx) {
        settings.merge(JsonBodies.object(ctx));
        JsonBodies.empty(ctx);
    }

    private void put(Context ctx) {
        settings.put(ctx.pathParam("id"), JsonBodies.value(ctx));
        JsonBodies.empty(ctx);
    }
}
