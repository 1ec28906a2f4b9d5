package dev.bakehouse.lora.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.tensor.sd.ShapeIndex;
import dev.bakehouse.testing.Fixtures;
import dev.bakehouse.testing.KeyTables;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The SDXL tiny fixture: module names from the checkpoint and the LoRA file, and merges through OpenCLIP's fused rows. */
class SdxlLoraFixtureTest {

    @Test
    void tinySdxl_moduleNamesFromCheckpointAndLoraEqualTheTable() throws Exception {
        Set<String> table = KeyTables.rows("sdxl-tiny/lora-modules.tsv").stream().map(r -> r.get("lora_name"))
                .collect(Collectors.toCollection(TreeSet::new));
        try (SafetensorsFile ckpt = SafetensorsFile.open(Fixtures.file("sdxl-tiny/tiny.safetensors"))) {
            Set<String> enumerated = KohyaModuleNames.enumerate(ShapeIndex.of(ckpt)).stream().map(LoraTarget::loraName)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(table, enumerated);
        }
        LoraNetwork lora = LoraReader.read(Fixtures.file("sdxl-tiny/lora.safetensors"));
        assertTrue(lora.unknownKeys().isEmpty(), lora.unknownKeys().toString());
        assertTrue(table.containsAll(lora.modules().keySet()), "every module of the file is a kohya SDXL module");
    }

    @Test
    void mergedWeights_matchIncludingQkvRowsOfTheFusedInProjection() throws Exception {
        LoraNetwork lora = LoraReader.read(Fixtures.file("sdxl-tiny/lora.safetensors"));
        try (SafetensorsFile base = SafetensorsFile.open(Fixtures.file("sdxl-tiny/tiny.safetensors"));
             SafetensorsFile cases = SafetensorsFile.open(Fixtures.file("sdxl-tiny/lora-cases.safetensors"))) {
            Map<String, List<LoraTarget>> byKey = KohyaModuleNames.enumerate(ShapeIndex.of(base)).stream()
                    .filter(t -> lora.modules().containsKey(t.loraName()))
                    .collect(Collectors.groupingBy(LoraTarget::checkpointKey));
            int checked = 0;
            for (String name : cases.names()) {
                if (!name.startsWith("merged_0.7.")) {
                    continue;
                }
                String key = name.substring("merged_0.7.".length());
                float[] w = base.readFloats(key);
                long[] shape = base.info(key).shape();
                int cols = (int) (w.length / shape[0]);
                double[] expected = new double[w.length];
                for (int i = 0; i < w.length; i++) {
                    expected[i] = w[i];
                }
                for (LoraTarget t : byKey.get(key)) {
                    int start = Math.max(t.rowStart(), 0);
                    long[] targetShape = shape.clone();
                    targetShape[0] = t.rowStart() < 0 ? shape[0] : t.rowEnd() - t.rowStart();
                    float[] d = lora.module(t.loraName()).deltaWeight(targetShape);
                    for (int i = 0; i < d.length; i++) {
                        expected[start * cols + i] += 0.7 * d[i];
                    }
                }
                float[] merged = cases.readFloats(name);
                double maxErr = 0;
                for (int i = 0; i < merged.length; i++) {
                    maxErr = Math.max(maxErr, Math.abs(merged[i] - expected[i]));
                }
                assertTrue(maxErr < 1e-5, key + ": max error " + maxErr);
                checked++;
            }
            assertTrue(checked >= 5, "checked " + checked + " merged weights");
        }
    }
}
