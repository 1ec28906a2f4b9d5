package dev.bakehouse.node.gachamax;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The JSON shapes of loops, rounds, dataset versions and candidates that the round node outputs
 * and the server's GACHAMAX routes and the editor's panel read. Field names are snake_case like
 * the rest of the API.
 */
public final class GachamaxJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private GachamaxJson() {}

    /** A loop with its timeline: every round with its dataset version and candidates. */
    public static ObjectNode timeline(GachamaxStore store, LoopRecord loop) {
        ObjectNode out = loop(loop);
        ArrayNode rounds = out.putArray("rounds");
        for (RoundRecord r : store.rounds(loop.name())) {
            ObjectNode round = round(r, store.candidates(loop.name(), r.round()));
            store.datasetVersion(loop.name(), r.datasetVersion()).ifPresent(v -> round.set("dataset", version(v)));
            rounds.add(round);
        }
        return out;
    }

    public static ObjectNode loop(LoopRecord loop) {
        ObjectNode out = JSON.createObjectNode();
        out.put("name", loop.name());
        out.put("source_folder", loop.sourceFolder());
        out.put("created_at", loop.createdMillis());
        return out;
    }

    public static ObjectNode round(RoundRecord r, List<CandidateRecord> candidates) {
        ObjectNode out = JSON.createObjectNode();
        out.put("loop", r.loop());
        out.put("round", r.round());
        out.put("status", r.status().key());
        out.put("dataset_version", r.datasetVersion());
        out.put("lora", r.loraFile());
        out.put("lora_hash", r.loraHash());
        out.put("parent_hash", r.parentHash());
        out.put("steps", r.steps());
        out.put("total_steps", r.totalSteps());
        out.put("started_at", r.startedMillis());
        if (r.finishedMillis() != null) {
            out.put("finished_at", r.finishedMillis());
        }
        if (r.scores() != null) {
            ObjectNode scores = out.putObject("scores");
            scores.put("closeness", r.scores().closeness());
            putNullable(scores, "prompt_following", r.scores().promptFollowing());
            putNullable(scores, "trigger_agreement", r.scores().triggerAgreement());
            putNullable(scores, "overfit", r.scores().overfit());
        }
        r.drops().forEach(out.putArray("drops")::add);
        ArrayNode list = out.putArray("candidates");
        for (CandidateRecord c : candidates) {
            ObjectNode cand = list.addObject();
            cand.put("id", c.id());
            cand.put("index", c.index());
            cand.put("prompt", c.prompt());
            cand.put("seed", c.seed());
            cand.put("file", c.file());
            cand.put("sha256", c.sha256());
            putNullable(cand, "score", c.score());
            cand.put("picked", c.picked());
            if (c.caption() != null) {
                cand.put("caption", c.caption());
            }
        }
        return out;
    }

    public static ObjectNode version(DatasetVersionRecord v) {
        ObjectNode out = JSON.createObjectNode();
        out.put("version", v.version());
        out.put("folder", v.folder());
        out.put("parent", v.parent());
        v.images().forEach(out.putArray("images")::add);
        v.added().forEach(out.putArray("added")::add);
        v.dropped().forEach(out.putArray("dropped")::add);
        return out;
    }

    /** A ComfyUI UI output showing one image of the output folder. */
    static ObjectNode uiImages(String relativeFile) {
        String file = relativeFile.replace('\\', '/');
        int slash = file.lastIndexOf('/');
        ObjectNode ui = JSON.createObjectNode();
        ObjectNode image = ui.putArray("images").addObject();
        image.put("filename", file.substring(slash + 1));
        image.put("subfolder", slash < 0 ? "" : file.substring(0, slash));
        image.put("type", "output");
        return ui;
    }

    private static void putNullable(ObjectNode node, String field, Double value) {
        if (value == null) {
            node.putNull(field);
        } else {
            node.put(field, value);
        }
    }
}
