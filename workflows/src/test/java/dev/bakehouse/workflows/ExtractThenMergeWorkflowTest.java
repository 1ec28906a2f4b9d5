package dev.bakehouse.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.testing.TinyDataDir;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped {@code workflows/extract-then-merge.json} on the tiny model: ExtractLoRA takes the
 * difference of a "tuned" checkpoint (tiny + the rank-4 fixture LoRA, made by MergeLoRA here) and
 * the original, and MergeLoRA bakes the extracted LoRA back into the original. The result must be
 * the tuned checkpoint again: exactly (up to float rounding) without clamping, and most of the
 * change (Frobenius norm) with the shipped kohya clamp (0.99 quantile).
 */
class ExtractThenMergeWorkflowTest {
    @TempDir
    Path data;

    @Test
    void extractThenMerge_rebuildsTheTunedCheckpoint() throws Exception {
        TinyDataDir.populate(data);
        DataDirs dirs = DataDirs.of(data);
        String tuned = mergeFixtureLora(dirs);

        ObjectNode prompt = ShippedWorkflow.load("extract-then-merge.json");
        ((ObjectNode) prompt.at("/20/inputs")).put("model_tuned", tuned);
        Error shipped = deltaError(dirs, tuned, merged(dirs, prompt));
        ObjectNode unclamped = prompt.deepCopy();
        ((ObjectNode) unclamped.at("/20/inputs")).put("clamp_quantile", 1.0);
        Error exact = deltaError(dirs, tuned, merged(dirs, unclamped));
        System.out.println("extract-then-merge: unclamped " + exact + ", shipped (clamp 0.99) " + shipped);

        assertTrue(exact.worst() < 1e-3, "without clamping: " + exact);
        // The clamp clips the largest factor entries, so the worst single weight moves a lot; the
        // change as a whole (Frobenius norm) must still be mostly rebuilt.
        assertTrue(shipped.overall() < 0.5, "with the 0.99 clamp: " + shipped);
    }

    /** tiny + the fixture LoRA at ratio 1, through LoadLoRA → MergeLoRA; its checkpoint name. */
    private static String mergeFixtureLora(DataDirs dirs) throws Exception {
        ObjectNode prompt = ShippedWorkflow.JSON.createObjectNode();
        ObjectNode load = prompt.putObject("1");
        load.put("class_type", "LoadLoRA");
        load.putObject("inputs").put("lora_name", TinyDataDir.LORA);
        ObjectNode merge = prompt.putObject("2");
        merge.put("class_type", "MergeLoRA");
        ObjectNode in = merge.putObject("inputs");
        in.put("ckpt_name", TinyDataDir.CHECKPOINT);
        in.putArray("lora_1").add("1").add(0);
        in.put("ratio_1", 1.0);
        in.put("block_weights_1", "");
        in.put("save_precision", "keep");
        in.put("filename_prefix", "tuned/tiny");
        return ShippedWorkflow.run(dirs, prompt).uiOutputs().get("2").at("/text/0").asText();
    }

    private static String merged(DataDirs dirs, ObjectNode prompt) {
        String name = ShippedWorkflow.run(dirs, prompt).uiOutputs().get("21").at("/text/0").asText();
        assertTrue(name.startsWith("merged/tiny-plus-extracted"), name);
        return name;
    }

    /**
     * Over the tensors the LoRA changed (tiny vs tuned): {@code worst} is the largest per tensor
     * max |result − tuned| / max |tuned − tiny|; {@code overall} is ‖result − tuned‖ / ‖tuned − tiny‖
     * (Frobenius, all changed tensors together).
     */
    record Error(double worst, double overall) {}

    private static Error deltaError(DataDirs dirs, String tuned, String result) throws Exception {
        double worst = 0;
        double errSquares = 0;
        double deltaSquares = 0;
        int changed = 0;
        try (SafetensorsFile base = SafetensorsFile.open(dirs.resolveCheckpoint(TinyDataDir.CHECKPOINT));
             SafetensorsFile target = SafetensorsFile.open(dirs.resolveCheckpoint(tuned));
             SafetensorsFile rebuilt = SafetensorsFile.open(dirs.resolveCheckpoint(result))) {
            assertEquals(base.names().size(), rebuilt.names().size());
            for (String name : base.names()) {
                if (!base.info(name).dtype().isFloatingPoint()) {
                    continue;
                }
                float[] a = base.readFloats(name);
                float[] t = target.readFloats(name);
                if (Arrays.equals(a, t)) {
                    continue;
                }
                changed++;
                float[] r = rebuilt.readFloats(name);
                double err = 0;
                double delta = 0;
                for (int i = 0; i < t.length; i++) {
                    err = Math.max(err, Math.abs(r[i] - t[i]));
                    delta = Math.max(delta, Math.abs(t[i] - a[i]));
                    errSquares += (double) (r[i] - t[i]) * (r[i] - t[i]);
                    deltaSquares += (double) (t[i] - a[i]) * (t[i] - a[i]);
                }
                worst = Math.max(worst, err / delta);
            }
        }
        assertTrue(changed > 100, "the fixture LoRA changed " + changed + " tensors");
        return new Error(worst, Math.sqrt(errSquares / deltaSquares));
    }
}
