package dev.bakehouse.toy.pretrain;

import ai.djl.ndarray.NDManager;
import dev.bakehouse.model.ModelConfig;
import dev.bakehouse.model.WeightSource;
import dev.bakehouse.model.clip.ClipTextModel;
import dev.bakehouse.model.nn.Constants;
import dev.bakehouse.model.nn.Param;
import dev.bakehouse.model.nn.ParamStore;
import dev.bakehouse.model.unet.UNet2DCondition;
import dev.bakehouse.model.vae.AutoencoderKL;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The weights a model starts pretraining from, drawn per key from the seed: PyTorch's layer
 * defaults (Linear/Conv2d weights uniform in ±1/sqrt(fan_in), biases 0, norm scales 1), CLIP's
 * embedding init (normal, std 0.02 for tokens, 0.01 for positions), and LDM's
 * {@code zero_module} on the layers that close a residual branch (ResBlock {@code out_layers.3},
 * SpatialTransformer {@code proj_out}, the UNet's {@code out.2}), so that every block starts as
 * the identity and the untrained UNet predicts zero noise. One departure from PyTorch's defaults:
 * the VAE's posterior starts narrow ({@link #INITIAL_POSTERIOR_LOGVAR}). With a zero bias its
 * log-variance starts at 0, so the decoder first sees latents drowned in unit noise, and with the
 * tiny KL weight only the reconstruction gradient, at Adam's step size, can pull the log-variance
 * down: thousands of steps of learning nothing on a CPU budget of a few thousand steps in all.
 */
public final class InitialWeights implements WeightSource {
    /** Log-variance the VAE's posterior starts with (std e^-3 ≈ 0.05 around a mean of order 1). */
    static final float INITIAL_POSTERIOR_LOGVAR = -6f;
    private static final String POSTERIOR_BIAS = AutoencoderKL.PREFIX + "quant_conv.bias";

    private final Map<String, long[]> shapes;
    private final long seed;

    private InitialWeights(Map<String, long[]> shapes, long seed) {
        this.shapes = Collections.unmodifiableMap(shapes);
        this.seed = seed;
    }

    /** Every weight {@code config}'s architecture declares, with its shape. */
    public static InitialWeights of(ModelConfig config, long seed) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        try (NDManager scratch = NDManager.newBaseManager()) {
            ParamStore store = new ParamStore(scratch);
            Constants constants = new Constants(scratch);
            new UNet2DCondition(store, constants, config.unet(), UNet2DCondition.PREFIX);
            new ClipTextModel(store, constants, config.text(), ClipTextModel.PREFIX);
            new AutoencoderKL(store, constants, config.vae(), AutoencoderKL.PREFIX);
            for (Param p : store.params().values()) {
                shapes.put(p.key(), p.shape().getShape());
            }
        }
        return new InitialWeights(shapes, seed);
    }

    @Override
    public String description() {
        return "initial weights (seed " + seed + ")";
    }

    @Override
    public Set<String> names() {
        return shapes.keySet();
    }

    @Override
    public long[] shape(String name) {
        return shapes.get(name).clone();
    }

    @Override
    public float[] readFloats(String name) {
        long[] s = shapes.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no initial weight named " + name);
        }
        long n = 1;
        for (long d : s) {
            n *= d;
        }
        float[] out = new float[Math.toIntExact(n)];
        // one stream per key, so adding a layer does not change the others' draws
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ name.hashCode());
        if (name.endsWith("token_embedding.weight") || name.endsWith("position_embedding.weight")) {
            double std = name.endsWith("token_embedding.weight") ? 0.02 : 0.01;
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) (std * rng.nextGaussian());
            }
        } else if (s.length == 1) {
            java.util.Arrays.fill(out, name.endsWith(".weight") ? 1f : 0f);
            if (name.equals(POSTERIOR_BIAS)) {
                // channels [0, n/2) are the posterior's mean, [n/2, n) its log-variance
                java.util.Arrays.fill(out, out.length / 2, out.length, INITIAL_POSTERIOR_LOGVAR);
            }
        } else if (!closesResidualBranch(name)) {
            double bound = 1 / Math.sqrt((double) n / s[0]);
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) (bound * (2 * rng.nextDouble() - 1));
            }
        }
        return out;
    }

    private static boolean closesResidualBranch(String name) {
        return name.startsWith(UNet2DCondition.PREFIX) && (name.endsWith(".out_layers.3.weight")
                || name.endsWith(".proj_out.weight") || name.equals(UNet2DCondition.PREFIX + "out.2.weight"));
    }
}
