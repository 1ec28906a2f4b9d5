package dev.bakehouse.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** ComfyUI's initial noise is libtorch's CPU generator seeded with the seed: DJL must reach it. */
class TorchRandomTest {
    @Test
    void randn_seed0_matchesLibtorchCpuGenerator() {
        Engine.getEngine("PyTorch").setRandomSeed(0);
        try (NDManager m = NDManager.newBaseManager()) {
            float[] eight = m.randomNormal(new Shape(8)).toFloatArray();
            assertArrayEquals(new float[] {1.5410f, -0.2934f, -2.1788f}, new float[] {eight[0], eight[1], eight[2]}, 1e-4f);
        }
    }
}
