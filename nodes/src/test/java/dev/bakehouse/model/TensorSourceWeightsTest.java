package dev.bakehouse.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.tensor.DType;
import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.tensor.SafetensorsWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorSourceWeightsTest {
    @Test
    void names_oldTransformersSpelling_offeredWithTextModelLevel(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("old.safetensors");
        new SafetensorsWriter()
                .addFloats("cond_stage_model.transformer.final_layer_norm.weight", DType.F32, new long[] {2}, new float[] {1, 2})
                .addFloats("model.diffusion_model.out.2.bias", DType.F32, new long[] {1}, new float[] {3})
                .write(file);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            TensorSourceWeights w = new TensorSourceWeights(f);
            String key = "cond_stage_model.transformer.text_model.final_layer_norm.weight";
            assertTrue(w.names().contains(key), w.names().toString());
            assertArrayEquals(new long[] {2}, w.shape(key));
            assertArrayEquals(new float[] {1, 2}, w.readFloats(key));
            assertArrayEquals(new float[] {3}, w.readFloats("model.diffusion_model.out.2.bias"));
        }
    }
}
