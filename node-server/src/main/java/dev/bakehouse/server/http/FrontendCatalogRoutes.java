package dev.bakehouse.server.http;

import dev.bakehouse.server.json.Json;

/**
 * Catalogs that ComfyUI fills from installed node packs (spec §3.15): example workflows
 * ({@code /workflow_templates}, pack → workflow names) and translations ({@code /i18n}). Our
 * nodes ship neither, so both are empty objects, which the frontend accepts.
 */
public final class FrontendCatalogRoutes {

    public void register(ApiRouter router) {
        router.get("/workflow_templates", ctx -> JsonBodies.respond(ctx, Json.object()));
        router.get("/i18n", ctx -> JsonBodies.respond(ctx, Json.object()));
    }
}
