package dev.bakehouse.train.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.bakehouse.lora.format.LoraReader;
import dev.bakehouse.lora.network.LoraLayer;
import dev.bakehouse.lora.network.NetworkOptions;
import dev.bakehouse.lora.network.TrainableLoraNetwork;
import dev.bakehouse.model.nn.OwnedArrays;
import dev.bakehouse.train.config.PreservationOptions;
import dev.bakehouse.train.loss.PreservationLoss;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The preservation terms on the tiny model: zero for a no-op LoRA, positive, exact gradient, linear in weight. */
class PreservationLossTest extends TinyRunTest {

    private static float[] gaussian(int n, double scale, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            double u = r.nextDouble(1e-12, 1);
            v[i] = (float) (scale * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble()));
        }
        return v;
    }

    /** The term on fixed latents, timesteps and per-prompt contexts, through the real UNet and network. */
    private static NDArray term(TrainableLoraNetwork net, List<PreservationLoss.Term> terms, NDManager step) {
        long width = tiny.model.config().text().hiddenSize();
        NDArray latents = OwnedArrays.of(step, gaussian(2 * 4 * 8 * 8, 1, 5), new Shape(2, 4, 8, 8));
        NDArray timesteps = OwnedArrays.of(step, new float[] {200, 700});
        PreservationLoss.Conditioning conditioning = (prompt, m) ->
                OwnedArrays.of(step, gaussian((int) (2 * 77 * width), 1, prompt.hashCode()), new Shape(2, 77, width));
        PreservationLoss.Prediction prediction = (context, m) -> {
            net.setMultiplier(m);
            try {
                return tiny.model.unet().forward(latents, timesteps, context);
            } finally {
                net.setMultiplier(1f);
            }
        };
        return PreservationLoss.compute(terms, conditioning, prediction, 1f);
    }

    private static double value(TrainableLoraNetwork net, List<PreservationLoss.Term> terms) {
        try (NDManager step = tiny.model.manager().newSubManager()) {
            return term(net, terms, step).getFloat();
        }
    }

    private static TrainableLoraNetwork network() {
        return TrainableLoraNetwork.create(tiny.model, NetworkOptions.defaults().withDim(4, 4f).withParts(true, false),
                new SplittableRandom(11), null);
    }

    private static final List<PreservationLoss.Term> DOP = List.of(new PreservationLoss.Term("dop", "a ring", 1.0));

    @Test
    void term_isZero_forTheUntrainedLora_andItsGradientToo() {
        JniUtils.setGradMode(false);
        try (TrainableLoraNetwork net = network(); NDManager step = tiny.model.manager().newSubManager()) {
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray t = term(net, DOP, step);
                assertEquals(0.0, t.getFloat(), 0.0, "lora_up = 0: the LoRA changes nothing");
                gc.backward(t);
            }
            for (LoraLayer l : net.layers()) {
                try (NDArray g = l.down().getGradient()) {
                    assertEquals(0f, g.abs().max().getFloat(), 0f, l.name());
                }
            }
        }
    }

    @Test
    void term_isPositive_linearInWeight_andItsGradientMatchesFiniteDifferences() {
        JniUtils.setGradMode(false);
        try (TrainableLoraNetwork net = network()) {
            List<LoraLayer> layers = net.layers();
            for (int i = 0; i < layers.size(); i++) {
                NDArray up = layers.get(i).up();
                up.set(FloatBuffer.wrap(gaussian((int) up.size(), 0.05, 100 + i)));
            }
            double f = value(net, DOP);
            assertTrue(f > 1e-6, "a LoRA that changes the output is pulled back: " + f);
            double twice = value(net, List.of(new PreservationLoss.Term("dop", "a ring", 2.0)));
            assertEquals(2 * f, twice, 1e-6 * f, "the weight scales the term");
            double both = value(net, List.of(DOP.get(0), new PreservationLoss.Term("blank", "", 0.5)));
            double blank = value(net, List.of(new PreservationLoss.Term("blank", "", 0.5)));
            assertEquals(f + blank, both, 1e-5 * both, "terms add");

            // analytic directional derivative along a fixed direction in lora_up space ...
            float[][] dir = new float[layers.size()][];
            double analytic = 0;
            try (NDManager step = tiny.model.manager().newSubManager()) {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(term(net, DOP, step));
                }
                for (int i = 0; i < layers.size(); i++) {
                    NDArray up = layers.get(i).up();
                    dir[i] = gaussian((int) up.size(), 1, 900 + i);
                    try (NDArray g = up.getGradient()) {
                        float[] gv = g.toFloatArray();
                        for (int k = 0; k < gv.length; k++) {
                            analytic += (double) gv[k] * dir[i][k];
                        }
                    }
                }
            }
            net.zeroGradients();
            // ... against the central difference (f(θ + εd) − f(θ − εd)) / 2ε
            double eps = 1e-3;
            double plus = shifted(net, dir, eps);
            double minus = shifted(net, dir, -eps);
            shifted(net, dir, 0);
            double numeric = (plus - minus) / (2 * eps);
            assertEquals(analytic, numeric, 2e-3 * Math.abs(analytic), "analytic " + analytic + ", numeric " + numeric);
        }
    }

    /** f at θ + ε·dir (θ the values before the first call), leaving the factors at θ + ε·dir. */
    private double shifted(TrainableLoraNetwork net, float[][] dir, double eps) {
        List<LoraLayer> layers = net.layers();
        if (base == null) {
            base = new float[layers.size()][];
            for (int i = 0; i < layers.size(); i++) {
                base[i] = layers.get(i).up().toFloatArray();
            }
        }
        for (int i = 0; i < layers.size(); i++) {
            float[] v = base[i].clone();
            for (int k = 0; k < v.length; k++) {
                v[k] += (float) (eps * dir[i][k]);
            }
            layers.get(i).up().set(FloatBuffer.wrap(v));
        }
        return value(net, DOP);
    }

    private float[][] base;

    @Test
    void options_dopWithoutClassPrompt_isRefused_andTermsFollowTheWeights() {
        assertThrows(IllegalArgumentException.class, () -> new PreservationOptions(0.5, " ", 0));
        assertEquals(List.of(), PreservationLoss.terms(PreservationOptions.off()));
        assertEquals(List.of(new PreservationLoss.Term("dop", "a star inside a ring", 0.5),
                new PreservationLoss.Term("blank", "", 0.25)),
                PreservationLoss.terms(new PreservationOptions(0.5, "a star inside a ring", 0.25)));
    }

    @Test
    void run_withPreservation_trains_andRecordsItInTheMetadata() throws Exception {
        LoraTrainer.Result r = tiny.train(TinyTrainingRun.args(data, out, "--max_train_steps=2", "--dop_weight=0.5",
                "--dop_class_prompt=ring, grey background", "--blank_preservation_weight=0.25"),
                TrainingListener.SILENT, null);
        assertEquals(2, r.steps());
        Map<String, String> meta = LoraReader.read(r.last()).metadata();
        assertEquals("0.5", meta.get("ss_dop_weight"));
        assertEquals("ring, grey background", meta.get("ss_dop_class_prompt"));
        assertEquals("0.25", meta.get("ss_blank_preservation_weight"));
    }
}
