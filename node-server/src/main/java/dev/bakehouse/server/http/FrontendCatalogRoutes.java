package dev.bakehouse.server.http;

import dev.bakehouse.server.json.Json;

/**
 * Catalogs that ComfyUI fills from installed node packs (spec §3.15): example workflows
 * ({@code /workflow_templates}, pack → workflow names), translations ({@code /i18n}) and subgraph
 * blueprints ({@code /global_subgraphs}, id → blueprint). Our nodes ship none, so all are empty
 * objects, which the frontend accepts.
 */
public final class FrontendCatalogRoutes {

    public void register(ApiRouter router) {
        router.get("/workflow_templates", ctx -> JsonBodies.respond(ctx, Json.object()));
        router.get("/i18n", ctx -> JsonBodies.respond(ctx, Json.object()));
        router.get("/global_subgraphs", ctx -> JsonBodies.respond(ctx, Json.object()));
    }
}
