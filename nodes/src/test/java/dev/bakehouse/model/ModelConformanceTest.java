package dev.bakehouse.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.bakehouse.model.clip.TextEncoderOutput;
import dev.bakehouse.model.vae.VaePosterior;
import dev.bakehouse.testing.SharedResources;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The tiny SD1 model against the float64 reference tensors of {@code sd15-tiny} (fp32 weights). */
class ModelConformanceTest {
    private static final double TOL = 1e-4;
    private static StableDiffusion model;
    private static FixtureTensors cases;
    private static FixtureTensors lowvar;

    @BeforeAll
    static void load() throws Exception {
        model = TinyFixtureModel.load("tiny.safetensors");
        cases = new FixtureTensors("sd15-tiny/cases.safetensors");
        lowvar = new FixtureTensors("sd15-tiny/cases-lowvar.safetensors");
    }

    @AfterAll
    static void close() throws Exception {
        SharedResources.close(model, cases, lowvar);
    }

    @Test
    void textEncoder_matchesLastPenultimatePooledAndEveryHiddenState() {
        try (NDManager step = model.manager().newSubManager()) {
            TextEncoderOutput out = model.textEncoder().forward(cases.array(step, "text_ids"));
            cases.assertClose("text_last", out.lastHiddenState(), TOL);
            cases.assertClose("text_penultimate_ln", model.textEncoder().withClipSkip(out, 2), TOL);
            cases.assertClose("text_pooled", out.pooled(), TOL);
            for (int i = 0; i < out.hiddenStates().size(); i++) {
                cases.assertClose("text_hidden_states." + i, out.hiddenStates().get(i), TOL);
            }
        }
    }

    @Test
    void unet_matchesEpsAndEveryTracedBlock() {
        try (NDManager step = model.manager().newSubManager()) {
            Map<String, NDArray> trace = new HashMap<>();
            NDArray eps = model.unet().forward(cases.array(step, "latents"), cases.array(step, "timesteps"),
                    cases.array(step, "context"), trace::put);
            cases.assertTraceClose("unet_trace.", trace, TOL);
            cases.assertClose("eps", eps, TOL);
        }
    }

    @Test
    void textToUnet_matchesEpsFromText() {
        try (NDManager step = model.manager().newSubManager()) {
            NDArray context = model.textEncoder().forward(cases.array(step, "text_ids")).lastHiddenState();
            NDArray eps = model.unet().forward(cases.array(step, "latents"), cases.array(step, "timesteps"), context);
            cases.assertClose("eps_from_text", eps, TOL);
        }
    }

    @Test
    void vae_matchesDecodeAndEncodeMoments() {
        try (NDManager step = model.manager().newSubManager()) {
            cases.assertClose("vae_decoded", model.vae().decode(cases.array(step, "vae_z")), TOL);
            VaePosterior posterior = model.vae().encode(cases.array(step, "vae_x"));
            cases.assertClose("vae_moments", posterior.moments(), TOL);
            cases.assertClose("vae_mean", posterior.mean(), TOL);
            cases.assertClose("vae_logvar", posterior.logvar(), TOL);
        }
    }

    @Test
    void vaeImageApi_appliesScaleFactorAndComfyImageLayout() {
        try (NDManager step = model.manager().newSubManager()) {
            float scale = (float) model.config().vae().scaleFactor();
            NDArray image = model.vae().decodeToImage(cases.array(step, "vae_z").mul(scale));
            NDArray expected = cases.array(step, "vae_decoded").add(1f).div(2f).clip(0f, 1f).transpose(0, 2, 3, 1);
            assertArrayEquals(expected.toFloatArray(), image.toFloatArray(), 1e-5f);

            NDArray x = cases.array(step, "vae_x"); // in [-1, 1]
            NDArray latents = model.vae().encodeImage(x.add(1f).div(2f).transpose(0, 2, 3, 1));
            cases.assertClose("vae_mean", latents.div(scale), TOL);
        }
    }

    @Test
    void lowVarianceInputs_catchNormalisationEpsilons() {
        try (NDManager step = model.manager().newSubManager()) {
            NDArray eps = model.unet().forward(lowvar.array(step, "lowvar_latents"),
                    lowvar.array(step, "lowvar_timesteps"), lowvar.array(step, "lowvar_context"));
            lowvar.assertClose("lowvar_eps", eps, TOL);
            lowvar.assertClose("lowvar_vae_decoded", model.vae().decode(lowvar.array(step, "lowvar_vae_z")), TOL);
            VaePosterior posterior = model.vae().encode(lowvar.array(step, "lowvar_vae_x"));
            lowvar.assertClose("lowvar_vae_mean", posterior.mean(), TOL);
            lowvar.assertClose("lowvar_vae_logvar", posterior.logvar(), TOL);
        }
    }
}
