package dev.bakehouse.tensor.sd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bakehouse.tensor.DType;
import dev.bakehouse.tensor.ElementCodec;
import dev.bakehouse.tensor.TensorSource;
import dev.bakehouse.tensor.ckpt.CkptFile;
import dev.bakehouse.testing.CkptWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointViewTest {

    @TempDir
    Path dir;

    @Test
    void lightningCkptWithEmaAndOldClipNames_loadsTheWayA1111Does() throws Exception {
        Path f = dir.resolve("train.ckpt");
        new CkptWriter().scalar("global_step", 5).nestInStateDict()
                .tensor("model.diffusion_model.out.2.bias", DType.F32, new long[] {2}, floats(1, 2))
                .tensor("model_ema.diffusion_modelout2bias", DType.F32, new long[] {2}, floats(3, 4))
                .tensor("model_ema.num_updates", DType.I64, new long[] {}, ElementCodec.encodeLongs(DType.I64, new long[] {5}).array())
                .tensor("cond_stage_model.transformer.encoder.layers.0.mlp.fc1.bias", DType.F32, new long[] {2}, floats(5, 6))
                .writeZip(f, false);
        try (CkptFile file = CkptFile.open(f)) {
            TensorSource plain = CheckpointView.of(file, CheckpointView.Weights.NON_EMA);
            assertEquals(List.of("cond_stage_model.transformer.text_model.encoder.layers.0.mlp.fc1.bias",
                    "model.diffusion_model.out.2.bias", "model_ema.diffusion_modelout2bias", "model_ema.num_updates"), plain.names());
            assertArrayEquals(new float[] {1, 2}, plain.readFloats("model.diffusion_model.out.2.bias"));
            assertArrayEquals(new float[] {5, 6}, plain.readFloats("cond_stage_model.transformer.text_model.encoder.layers.0.mlp.fc1.bias"));
            TensorSource ema = CheckpointView.of(file, CheckpointView.Weights.EMA);
            assertArrayEquals(new float[] {3, 4}, ema.readFloats("model.diffusion_model.out.2.bias"));
        }
    }

    private static byte[] floats(float... v) {
        return ElementCodec.encodeFloats(DType.F32, v).array();
    }
}
