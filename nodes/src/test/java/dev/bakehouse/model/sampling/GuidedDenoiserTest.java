package dev.bakehouse.model.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GuidedDenoiserTest {
    private static final DiscreteSchedule SD15 = DiscreteSchedule.sd15();
    private NDManager manager;
    private final List<Shape> inputShapes = new ArrayList<>();
    private final List<float[]> timesteps = new ArrayList<>();
    private final List<NDArray> contexts = new ArrayList<>();

    /** eps = 0.5 xIn + mean(context of that item): simple, but depends on every input. */
    private final EpsPredictor fake = (xIn, t, context) -> {
        inputShapes.add(xIn.getShape());
        timesteps.add(t.toFloatArray());
        contexts.add(context.duplicate());
        long b = xIn.getShape().get(0);
        NDArray perItem = context.mean(new int[] {2}).mean(new int[] {1}).reshape(b, 1, 1, 1);
        return xIn.mul(0.5).add(perItem);
    };

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private NDArray latent() {
        return manager.arange(0f, 2 * 4 * 2 * 2).reshape(2, 4, 2, 2).div(7f).sub(2f);
    }

    private NDArray context(int tokens, float value) {
        return manager.full(new Shape(1, tokens, 8), value);
    }

    @Test
    void condOnly_isXMinusEpsTimesSigma_atNearestTimestep() {
        double sigma = SD15.sigma(500.3);
        NDArray x = latent();
        float[] out = new GuidedDenoiser(fake, SD15, context(77, 0.25f), null, 7.0).denoise(x, sigma).toFloatArray();
        float[] xs = x.toFloatArray();
        double cIn = 1 / Math.sqrt(sigma * sigma + 1);
        for (int i = 0; i < xs.length; i++) {
            assertEquals(xs[i] - (0.5 * xs[i] * cIn + 0.25) * sigma, out[i], 1e-5 * Math.max(1, Math.abs(out[i])));
        }
        assertArrayEquals(new float[] {500f, 500f}, timesteps.get(0));
    }

    @Test
    void guidance_batchesUncondAndCond_inOneCall() {
        double sigma = 3.0;
        NDArray x = latent();
        NDArray pos = context(77, 0.25f);
        NDArray neg = context(77, -0.75f);
        float[] guided = new GuidedDenoiser(fake, SD15, pos, neg, 7.5).denoise(x, sigma).toFloatArray();
        assertEquals(List.of(new Shape(4, 4, 2, 2)), inputShapes);
        float[] cond = new GuidedDenoiser(fake, SD15, pos, null, 7.5).denoise(x, sigma).toFloatArray();
        float[] uncond = new GuidedDenoiser(fake, SD15, neg, null, 7.5).denoise(x, sigma).toFloatArray();
        for (int i = 0; i < guided.length; i++) {
            assertEquals(uncond[i] + (cond[i] - uncond[i]) * 7.5, guided[i], 1e-4 * Math.max(1, Math.abs(guided[i])));
        }
    }

    @Test
    void cfgOne_skipsTheNegative() {
        new GuidedDenoiser(fake, SD15, context(77, 0.25f), context(77, 1f), 1.0).denoise(latent(), 2.0);
        assertEquals(List.of(new Shape(2, 4, 2, 2)), inputShapes);
    }

    @Test
    void contextsOfDifferentLength_tiledToLeastCommonMultiple() {
        NDArray pos = manager.randomUniform(0f, 1f, new Shape(1, 154, 8));
        NDArray neg = manager.randomUniform(0f, 1f, new Shape(1, 77, 8));
        new GuidedDenoiser(fake, SD15, pos, neg, 5.0).denoise(latent(), 2.0);
        NDArray context = contexts.get(0);
        assertEquals(new Shape(4, 154, 8), context.getShape());
        assertArrayEquals(neg.toFloatArray(), context.get(new NDIndex("0, 77:")).toFloatArray());
        assertArrayEquals(pos.toFloatArray(), context.get(new NDIndex("3")).toFloatArray());
    }
}
