package dev.bakehouse.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** F16 checkpoint weights are widened to float32 at load and match the F16-weight references. */
class Fp16CheckpointTest {
    @Test
    void fp16Checkpoint_matchesFp16WeightReferences() throws Exception {
        try (StableDiffusion model = TinyFixtureModel.load("tiny-fp16.safetensors");
                FixtureTensors cases = new FixtureTensors("sd15-tiny/cases.safetensors");
                NDManager step = model.manager().newSubManager()) {
            NDArray eps = model.unet().forward(cases.array(step, "latents"), cases.array(step, "timesteps"),
                    cases.array(step, "context"));
            cases.assertClose("eps_fp16w", eps, 1e-4);
            cases.assertClose("text_last_fp16w", model.textEncoder().forward(cases.array(step, "text_ids")).lastHiddenState(), 1e-4);
        }
    }
}
