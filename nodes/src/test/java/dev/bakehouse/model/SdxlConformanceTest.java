package dev.bakehouse.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.bakehouse.model.clip.ClipTextModel;
import dev.bakehouse.model.clip.TextEncoderOutput;
import dev.bakehouse.model.conditioning.SdxlConditioner;
import dev.bakehouse.model.conditioning.SizeConditioning;
import dev.bakehouse.model.unet.UNetTrace;
import dev.bakehouse.model.vae.VaePosterior;
import dev.bakehouse.testing.SharedResources;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tiny SDXL model (F16 weights upcast to F32) against the float64 reference tensors of
 * {@code sdxl-tiny/cases.safetensors}, README tolerance max|a-b| <= 1e-4 max|b|.
 */
class SdxlConformanceTest {
    private static final double TOL = 1e-4;
    private static StableDiffusion model;
    private static FixtureTensors cases;

    @BeforeAll
    static void load() {
        model = TinyFixtureModel.loadSdxl();
        cases = new FixtureTensors("sdxl-tiny/cases.safetensors");
    }

    @AfterAll
    static void close() throws Exception {
        SharedResources.close(model, cases);
    }

    /** The rows of the fixture's original_size / crop_coords_top_left / target_size inputs. */
    static List<SizeConditioning> sizes(FixtureTensors cases, NDManager step) {
        return SizeConditioning.rows(cases.array(step, "original_size").toLongArray(),
                cases.array(step, "crop_coords_top_left").toLongArray(), cases.array(step, "target_size").toLongArray());
    }

    @Test
    void config_fromSidecarJson_isSdxlWithTheFixtureNumbers() {
        ModelConfig c = model.config();
        assertTrue(c.isSdxl());
        assertEquals(List.of(0, 2, 10), c.unet().transformerDepth());
        assertEquals(10, c.unet().transformerDepthMiddle());
        assertEquals(1560, c.unet().admInChannels());
        assertEquals(0, c.textEncoders().get(1).padTokenId());
        assertEquals(24, c.textEncoders().get(1).projectionDim());
        assertEquals(0.13025, c.vae().scaleFactor());
        // the README's 18,904,076 parameters leave out the I64 position_ids; the model reads every float but logit_scale
        assertEquals(18_904_076L - 1, model.params().parameterCount());
    }

    @Test
    void textEncoder1_matchesEveryHiddenStateLastPooledAndTheSdxlLayer() {
        try (NDManager step = model.manager().newSubManager()) {
            TextEncoderOutput out = model.textEncoder().forward(cases.array(step, "te1_ids"));
            for (int i = 0; i < out.hiddenStates().size(); i++) {
                cases.assertClose("te1_hidden_states." + i, out.hiddenStates().get(i), TOL);
            }
            cases.assertClose("te1_last", out.lastHiddenState(), TOL);
            cases.assertClose("te1_pooled", out.pooled(), TOL);
            cases.assertClose("te1_sdxl", ClipTextModel.penultimate(out), TOL);
        }
    }

    @Test
    void textEncoder2_openClipLayout_matchesHiddenStatesPenultimateAndProjectedPooled() {
        try (NDManager step = model.manager().newSubManager()) {
            TextEncoderOutput out = model.textEncoder2().forward(cases.array(step, "te2_ids"));
            assertEquals(33, out.hiddenStates().size());
            for (int i = 0; i < out.hiddenStates().size(); i++) {
                cases.assertClose("te2_hidden_states." + i, out.hiddenStates().get(i), TOL);
            }
            cases.assertClose("te2_last_ln", out.lastHiddenState(), TOL);
            cases.assertClose("te2_penultimate", ClipTextModel.penultimate(out), TOL);
            cases.assertClose("te2_pooled_pre", out.pooled(), TOL);
            cases.assertClose("te2_pooled", model.textEncoder2().projectedPooled(out), TOL);
        }
    }

    @Test
    void textEncoder2_paddedWithEos_changesContextAfterEotButNotPooled() {
        try (NDManager step = model.manager().newSubManager()) {
            TextEncoderOutput out = model.textEncoder2().forward(cases.array(step, "te2_ids_padeos"));
            cases.assertClose("te2_penultimate_padeos", ClipTextModel.penultimate(out), TOL);
            cases.assertClose("te2_pooled_padeos", model.textEncoder2().projectedPooled(out), TOL);
        }
    }

    @Test
    void conditioner_matchesContextTimeIdsAndVectorY() {
        try (NDManager step = model.manager().newSubManager()) {
            SdxlConditioner conditioner = new SdxlConditioner(model);
            List<SizeConditioning> sizes = sizes(cases, step);
            float[] timeIds = cases.floats("time_ids");
            for (int b = 0; b < sizes.size(); b++) {
                long[] ids = sizes.get(b).timeIds();
                for (int i = 0; i < 6; i++) {
                    assertEquals(timeIds[6 * b + i], (float) ids[i], "time_ids[" + b + "][" + i + "]");
                }
            }
            cases.assertClose("time_ids_emb", SizeConditioning.embed(sizes, conditioner.sizeEmbeddingDim(), step), TOL);
            SdxlConditioner.Text text = conditioner.encode(cases.array(step, "te1_ids"), cases.array(step, "te2_ids"));
            cases.assertClose("te1_sdxl", text.te1Hidden(), TOL);
            cases.assertClose("te2_penultimate", text.te2Penultimate(), TOL);
            cases.assertClose("te2_pooled", text.pooled(), TOL);
            cases.assertClose("text_context", text.context(), TOL);
            cases.assertClose("text_y", conditioner.vector(text.pooled(), sizes), TOL);
            cases.assertClose("uncond_y_zero", conditioner.vector(text.pooled().zerosLike(), sizes), TOL);
        }
    }

    @Test
    void unet_matchesEpsAndEveryTracedBlockIncludingLabelEmb() {
        try (NDManager step = model.manager().newSubManager()) {
            Map<String, NDArray> trace = new HashMap<>();
            NDArray eps = model.unet().forward(cases.array(step, "latents"), cases.array(step, "timesteps"),
                    cases.array(step, "context"), cases.array(step, "y"), trace::put);
            cases.assertTraceClose("unet_trace.", trace, TOL);
            cases.assertClose("eps", eps, TOL);
        }
    }

    @Test
    void textToUnet_matchesEpsFromTextAndZeroNegative() {
        try (NDManager step = model.manager().newSubManager()) {
            SdxlConditioner conditioner = new SdxlConditioner(model);
            SdxlConditioner.Text text = conditioner.encode(cases.array(step, "te1_ids"), cases.array(step, "te2_ids"));
            NDArray y = conditioner.vector(text.pooled(), sizes(cases, step));
            NDArray latents = cases.array(step, "latents");
            NDArray timesteps = cases.array(step, "timesteps");
            cases.assertClose("eps_from_text", model.unet().forward(latents, timesteps, text.context(), y, UNetTrace.NONE), TOL);
            NDArray yZero = conditioner.vector(text.pooled().zerosLike(), sizes(cases, step));
            cases.assertClose("eps_uncond_zero", model.unet().forward(latents, timesteps, text.context().zerosLike(), yZero,
                    UNetTrace.NONE), TOL);
        }
    }

    @Test
    void vae_matchesDecodeEncodeAndTheSdxlScale() {
        try (NDManager step = model.manager().newSubManager()) {
            cases.assertClose("vae_decoded", model.vae().decode(cases.array(step, "vae_z")), TOL);
            float scale = (float) model.config().vae().scaleFactor();
            cases.assertClose("vae_decoded_unscaled_latent", model.vae().decode(cases.array(step, "vae_unet_latent").div(scale)), TOL);
            VaePosterior posterior = model.vae().encode(cases.array(step, "vae_x"));
            cases.assertClose("vae_moments", posterior.moments(), TOL);
            cases.assertClose("vae_mean", posterior.mean(), TOL);
            cases.assertClose("vae_logvar", posterior.logvar(), TOL);
            cases.assertClose("vae_mean_scaled", posterior.mean().mul(scale), TOL);
        }
    }
}
