package dev.bakehouse.train.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import dev.bakehouse.lora.format.LoraNetwork;
import dev.bakehouse.lora.format.LoraReader;
import dev.bakehouse.lora.network.LoraLayer;
import dev.bakehouse.lora.network.NetworkOptions;
import dev.bakehouse.lora.network.TrainableLoraNetwork;
import dev.bakehouse.train.config.ArgError;
import dev.bakehouse.train.config.EmaOptions;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LoraEmaTest extends TinyRunTest {

    private static void fill(NDArray a, double start, double step) {
        float[] v = new float[(int) a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (start + step * (i % 7));
        }
        a.set(FloatBuffer.wrap(v));
    }

    @Test
    void afterStep_followsTheEmaFormula_stepByStep_withWarmupAndUpdateEvery() {
        try (TrainableLoraNetwork net = TrainableLoraNetwork.create(tiny.model, NetworkOptions.defaults().withParts(true, false),
                new SplittableRandom(3), null);
                LoraEma ema = LoraEma.start(net, new EmaOptions(0.9, 2, true))) {
            LoraLayer layer = net.layers().get(0);
            float[] start = layer.down().toFloatArray();
            double[] expected = new double[start.length];
            for (int i = 0; i < start.length; i++) {
                expected[i] = start[i];
            }
            for (int step = 1; step <= 8; step++) {
                fill(layer.down(), 0.1 * step, 0.01);
                float[] w = layer.down().toFloatArray();
                ema.afterStep(step);
                if (step % 2 == 0) {
                    // the k-th update (k = step/2 - 1) with warm-up: d = min(0.9, (1 + k) / (10 + k))
                    int k = step / 2 - 1;
                    double d = Math.min(0.9, (1.0 + k) / (10.0 + k));
                    assertEquals(d, ema.decayAt(step), 1e-15);
                    for (int i = 0; i < w.length; i++) {
                        expected[i] = d * expected[i] + (1 - d) * w[i];
                    }
                }
                float[] shadow = ema.shadows().get(0)[0].toFloatArray();
                for (int i = 0; i < shadow.length; i++) {
                    assertEquals(expected[i], shadow[i], 1e-6, "step " + step + ", element " + i);
                }
            }
            // without warm-up the decay is ema_decay from the first update
            try (LoraEma plain = LoraEma.start(net, new EmaOptions(0.99, 1, false))) {
                assertEquals(0.99, plain.decayAt(1));
            }
        }
    }

    @Test
    void afterStep_manyUpdates_leaveNoArraysBehind() {
        try (TrainableLoraNetwork net = TrainableLoraNetwork.create(tiny.model, NetworkOptions.defaults(),
                new SplittableRandom(3), null);
                LoraEma ema = LoraEma.start(net, new EmaOptions(0.999, 1, false))) {
            ema.afterStep(1);
            int network = net.manager().getManagedArrays().size();
            int model = tiny.model.manager().getManagedArrays().size();
            for (int step = 2; step <= 50; step++) {
                ema.afterStep(step);
            }
            assertEquals(network, net.manager().getManagedArrays().size());
            assertFalse(ema.shadows().get(0)[1].hasGradient(), "the shadows stay outside the graph");
            assertEquals(model, tiny.model.manager().getManagedArrays().size());
        }
    }

    @Test
    void options_outOfRange_areRefusedNamingTheOption() {
        assertTrue(assertThrows(ArgError.class, () -> new EmaOptions(1.0, 1, false)).getMessage().contains("--ema_decay"));
        assertTrue(assertThrows(ArgError.class, () -> new EmaOptions(0.9, 0, false)).getMessage()
                .contains("--ema_update_every"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TinyTrainingRun.args(data, out, "--ema_decay=1.5"))
                .getMessage().contains("--ema_decay"));
    }

    @Test
    void run_savesEmaBesideEachLora_andAResumedRunEndsWithTheSameEma() throws Exception {
        String[] opts = {"--max_train_steps=4", "--save_every_n_steps=2", "--ema_decay=0.8", "--ema_update_every=1",
                "--ema_warmup", "--network_train_unet_only"};
        Path straight = out.resolve("straight");
        LoraTrainer.Result full = tiny.train(TinyTrainingRun.args(data, straight, opts), TrainingListener.SILENT, null);
        Path emaLast = straight.resolve("kiki-ema.safetensors");
        assertTrue(Files.isRegularFile(straight.resolve("kiki-step00000002-ema.safetensors")));
        assertTrue(Files.isRegularFile(emaLast));
        LoraNetwork emaFile = LoraReader.read(emaLast);
        assertEquals("True", emaFile.metadata().get(LoraEma.WEIGHTS_FLAG));
        assertEquals("0.8", emaFile.metadata().get("ss_ema_decay"));
        assertEquals("1", emaFile.metadata().get("ss_ema_update_every"));
        Map<String, String> plainMeta = LoraReader.read(full.last()).metadata();
        assertEquals("0.8", plainMeta.get("ss_ema_decay"));
        assertTrue(!plainMeta.containsKey(LoraEma.WEIGHTS_FLAG), "the trained weights' file is not flagged as EMA");

        // the EMA lags the trained weights: same modules, different (smaller) lora_up values
        Map<String, float[]> trained = LoraTrainerTest.weights(full.last());
        Map<String, float[]> averaged = LoraTrainerTest.weights(emaLast);
        assertEquals(trained.keySet(), averaged.keySet());
        double trainedNorm = 0;
        double emaNorm = 0;
        for (String k : trained.keySet()) {
            if (k.endsWith(".up")) {
                for (float v : trained.get(k)) {
                    trainedNorm += v * v;
                }
                for (float v : averaged.get(k)) {
                    emaNorm += v * v;
                }
            }
        }
        assertTrue(emaNorm > 0 && emaNorm < trainedNorm, "EMA |up|^2 " + emaNorm + " vs trained " + trainedNorm);

        Path split = out.resolve("split");
        int[] polls = {0};
        LoraTrainer.Result first = tiny.train(TinyTrainingRun.args(data, split, opts), TrainingListener.SILENT,
                () -> ++polls[0] == 3);
        assertTrue(first.stopped());
        assertTrue(Files.isRegularFile(first.resumeFrom().resolve(LoraEma.STATE_FILE)), "the state holds the EMA");
        String[] resumed = java.util.Arrays.copyOf(opts, opts.length + 1);
        resumed[opts.length] = "--resume=auto";
        LoraTrainer.Result second = tiny.train(TinyTrainingRun.args(data, split, resumed), TrainingListener.SILENT, null);
        assertEquals(4, second.steps());
        Map<String, float[]> again = LoraTrainerTest.weights(split.resolve("kiki-ema.safetensors"));
        for (String k : averaged.keySet()) {
            assertArrayEquals(averaged.get(k), again.get(k), 0f, k);
        }
    }

    @Test
    void resume_withEma_fromAStateWithout_isOneClearError() throws Exception {
        Path dir = out.resolve("noema");
        int[] polls = {0};
        LoraTrainer.Result first = tiny.train(TinyTrainingRun.args(data, dir, "--max_train_steps=3",
                "--network_train_unet_only"), TrainingListener.SILENT, () -> ++polls[0] == 1);
        assertTrue(first.stopped());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tiny.train(TinyTrainingRun.args(data,
                dir, "--max_train_steps=3", "--network_train_unet_only", "--ema_decay=0.9", "--resume=auto"),
                TrainingListener.SILENT, null));
        assertTrue(e.getMessage().contains("no EMA") && e.getMessage().contains(LoraEma.STATE_FILE), e.getMessage());
    }
}
