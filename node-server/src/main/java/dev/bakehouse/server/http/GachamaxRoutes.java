package dev.bakehouse.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.node.gachamax.DatasetVersionRecord;
import dev.bakehouse.node.gachamax.GachamaxJson;
import dev.bakehouse.node.gachamax.GachamaxStore;
import dev.bakehouse.node.gachamax.LoopRecord;
import dev.bakehouse.node.gachamax.PickRequest;
import dev.bakehouse.node.gachamax.RoundRecord;
import dev.bakehouse.node.gachamax.RoundStatus;
import dev.bakehouse.server.json.Json;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The GACHAMAX loops for the editor's panel: {@code GET /bakehouse/gachamax} (the loops),
 * {@code GET /bakehouse/gachamax/{loop}} (its timeline: rounds, dataset versions, candidates,
 * picks, LoRAs, scores), {@code GET /bakehouse/gachamax/{loop}/dataset/{version}/image?name=…} (an
 * image of a dataset version) and {@code POST /bakehouse/gachamax/{loop}/pick}, which records the picks
 * of the round awaiting them:
 * <pre>{"candidates": [12, 14], "captions": {"14": "edited caption"}, "drops": ["10_kiki/img.png"]}</pre>
 * The next queue of the loop's GachamaxRound builds the next dataset version from them.
 */
public final class GachamaxRoutes {
    private final GachamaxStore store;

    public GachamaxRoutes(GachamaxStore store) {
        this.store = store;
    }

    public void register(ApiRouter router) {
        router.get("/bakehouse/gachamax", this::loops);
        router.get("/bakehouse/gachamax/{loop}", this::timeline);
        router.post("/bakehouse/gachamax/{loop}/pick", this::pick);
        router.get("/bakehouse/gachamax/{loop}/dataset/{version}/image", this::datasetImage);
    }

    /**
     * An image of a dataset version ({@code ?name=10_kiki/img.png}), for the picker's drop list;
     * only names the version lists are served.
     */
    private void datasetImage(Context ctx) throws IOException {
        LoopRecord loop = loop(ctx);
        int number;
        try {
            number = Integer.parseInt(ctx.pathParam("version"));
        } catch (NumberFormatException e) {
            throw HttpFailure.of(400, "dataset version: expected an integer, found '" + ctx.pathParam("version") + "'");
        }
        DatasetVersionRecord version = store.datasetVersion(loop.name(), number).orElseThrow(
                () -> HttpFailure.of(404, "GACHAMAX loop '" + loop.name() + "' has no dataset version " + number));
        String name = ctx.queryParam("name");
        if (name == null || !version.images().contains(name)) {
            throw HttpFailure.of(404, "dataset version " + number + " of loop '" + loop.name() + "' has no image '"
                    + name + "'");
        }
        Path file = Path.of(version.folder()).resolve(name);
        String lower = name.toLowerCase(Locale.ROOT);
        ctx.contentType(lower.endsWith(".png") ? "image/png" : lower.endsWith(".webp") ? "image/webp"
                : lower.endsWith(".bmp") ? "image/bmp" : "image/jpeg");
        ctx.result(Files.readAllBytes(file));
    }

    private void loops(Context ctx) {
        ObjectNode body = Json.object();
        ArrayNode list = body.putArray("loops");
        for (LoopRecord loop : store.loops()) {
            ObjectNode item = GachamaxJson.loop(loop);
            List<RoundRecord> rounds = store.rounds(loop.name());
            item.put("rounds", rounds.size());
            item.put("status", rounds.isEmpty() ? "new" : rounds.get(rounds.size() - 1).status().key());
            list.add(item);
        }
        JsonBodies.respond(ctx, body);
    }

    private void timeline(Context ctx) {
        JsonBodies.respond(ctx, GachamaxJson.timeline(store, loop(ctx)));
    }

    private void pick(Context ctx) {
        LoopRecord loop = loop(ctx);
        ObjectNode body = JsonBodies.object(ctx);
        List<RoundRecord> rounds = store.rounds(loop.name());
        RoundRecord last = rounds.isEmpty() ? null : rounds.get(rounds.size() - 1);
        if (last == null || last.status() != RoundStatus.AWAITING_PICKS) {
            throw HttpFailure.of(409, "GACHAMAX loop '" + loop.name() + "': no round awaits picks"
                    + (last == null ? "" : " (round " + last.round() + " is " + last.status().key() + ")"));
        }
        if (body.has("round") && body.get("round").asInt() != last.round()) {
            throw HttpFailure.of(409, "GACHAMAX loop '" + loop.name() + "': round " + last.round()
                    + " awaits picks, not round " + body.get("round").asText());
        }
        PickRequest request;
        try {
            request = new PickRequest(ids(body.path("candidates")), captions(body.path("captions")),
                    JsonBodies.strings(body, "drops"));
            store.pick(loop.name(), last.round(), request);
        } catch (IllegalArgumentException e) {
            throw HttpFailure.of(400, e.getMessage());
        } catch (IllegalStateException e) {
            throw HttpFailure.of(409, e.getMessage());
        }
        JsonBodies.respond(ctx, GachamaxJson.timeline(store, loop));
    }

    private LoopRecord loop(Context ctx) {
        String name = ctx.pathParam("loop");
        return store.loop(name).orElseThrow(() -> HttpFailure.of(404, "no GACHAMAX loop '" + name + "'"));
    }

    private static List<Long> ids(JsonNode node) {
        if (!node.isArray()) {
            throw HttpFailure.of(400, "pick: 'candidates' must be an array of candidate ids, found " + node);
        }
        List<Long> ids = new ArrayList<>();
        for (JsonNode id : node) {
            if (!id.canConvertToLong() || !id.isIntegralNumber()) {
                throw HttpFailure.of(400, "pick: candidate ids are integers, found " + id);
            }
            ids.add(id.asLong());
        }
        return ids;
    }

    private static Map<Long, String> captions(JsonNode node) {
        Map<Long, String> captions = new LinkedHashMap<>();
        if (node.isMissingNode() || node.isNull()) {
            return captions;
        }
        if (!node.isObject()) {
            throw HttpFailure.of(400, "pick: 'captions' must map candidate ids to caption text, found " + node);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw HttpFailure.of(400, "pick: the caption of candidate " + e.getKey() + " must be text");
            }
            try {
                captions.put(Long.parseLong(e.getKey()), e.getValue().asText());
            } catch (NumberFormatException ex) {
                throw HttpFailure.of(400, "pick: 'captions' keys are candidate ids, found '" + e.getKey() + "'");
            }
        }
        return captions;
    }
}
