package dev.bakehouse.toy.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.model.Checkpoints;
import dev.bakehouse.model.ComputeDevice;
import dev.bakehouse.model.ModelConfigs;
import dev.bakehouse.model.StableDiffusion;
import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.toy.pretrain.PretrainListener.Phase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToyPretrainerTest {
    @TempDir
    Path dir;

    private static double mean(List<Double> values, int from, int to) {
        return values.subList(from, to).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    @Test
    void pretrain_fewSteps_bothPhaseLossesFall_andCheckpointLoadsWithItsSidecar() throws Exception {
        TinyPretraining.Recorder recorder = new TinyPretraining.Recorder();
        PretrainOptions options = TinyPretraining.options(32, 16);
        ToyPretrainer.Result result = TinyPretraining.run(options, dir, false, () -> false, recorder);

        assertTrue(result.finished());
        List<Double> vae = recorder.losses(Phase.VAE);
        List<Double> diffusion = recorder.losses(Phase.DIFFUSION);
        assertEquals(32, vae.size());
        assertEquals(16, diffusion.size());
        System.out.println("vae " + vae + "\ndiffusion " + diffusion);
        assertTrue(mean(vae, 24, 32) < 0.8 * mean(vae, 0, 8), "VAE loss falls: " + vae);
        assertTrue(mean(diffusion, 12, 16) < mean(diffusion, 0, 4), "diffusion loss falls: " + diffusion);

        Path checkpoint = result.checkpoint();
        Path sidecar = ModelConfigs.sidecarPath(checkpoint);
        assertTrue(Files.isRegularFile(sidecar));
        double scale = ModelConfigs.fromLdmJson(sidecar).vae().scaleFactor();
        assertTrue(scale > 0 && Double.isFinite(scale), "measured scale factor " + scale);
        try (StableDiffusion loaded = Checkpoints.load(checkpoint, sidecar, ComputeDevice.CPU);
                SafetensorsFile progress = SafetensorsFile.open(dir.resolve("progress/weights.safetensors"))) {
            assertEquals(options.model().unet(), loaded.config().unet());
            // the shipped file is the last progress rounded to fp16
            for (var p : loaded.params().params().values()) {
                float[] saved = p.value().toFloatArray();
                float[] full = progress.readFloats(p.key());
                for (int i = 0; i < saved.length; i++) {
                    assertEquals(full[i], saved[i], Math.abs(full[i]) * 1e-3 + 1e-7, p.key() + "[" + i + "]");
                }
            }
        }
    }

    @Test
    void pretrain_stoppedTwiceAndResumed_writesTheUninterruptedRunsModel() throws Exception {
        PretrainOptions options = TinyPretraining.options(6, 6);
        Path whole = dir.resolve("whole");
        Path pieces = dir.resolve("pieces");
        ToyPretrainer.Result a = TinyPretraining.run(options, whole, false, () -> false, PretrainListener.NONE);

        AtomicInteger polls = new AtomicInteger();
        ToyPretrainer.Result first = TinyPretraining.run(options, pieces, false, () -> polls.incrementAndGet() > 3,
                PretrainListener.NONE);
        assertNull(first.checkpoint());
        assertEquals(Phase.VAE, first.phase());
        assertEquals(3, first.step());
        polls.set(0);
        ToyPretrainer.Result second = TinyPretraining.run(options, pieces, true, () -> polls.incrementAndGet() > 5,
                PretrainListener.NONE);
        assertEquals(Phase.DIFFUSION, second.phase());
        assertEquals(2, second.step());
        ToyPretrainer.Result third = TinyPretraining.run(options, pieces, true, () -> false, PretrainListener.NONE);
        assertNotNull(third.checkpoint());

        try (SafetensorsFile x = SafetensorsFile.open(a.checkpoint()); SafetensorsFile y = SafetensorsFile.open(third.checkpoint())) {
            assertEquals(x.names(), y.names());
            for (String name : x.names()) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(x.readFloats(name), y.readFloats(name), 1e-3f, name);
            }
        }
    }

    @Test
    void pretrain_existingProgressWithoutResume_isRefused() throws Exception {
        PretrainOptions options = TinyPretraining.options(2, 0);
        TinyPretraining.run(options, dir, false, () -> true, PretrainListener.NONE);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TinyPretraining.run(options, dir, false, () -> false, PretrainListener.NONE));
        assertTrue(e.getMessage().contains("--resume"), e.getMessage());
        IllegalStateException other = assertThrows(IllegalStateException.class,
                () -> TinyPretraining.run(options.withSteps(3, 0), dir, true, () -> false, PretrainListener.NONE));
        assertTrue(other.getMessage().contains("other options"), other.getMessage());
    }

    @Test
    void pretrain_initFrom_keepsTheVae_trainsOnlyDiffusion_recordsBothCommands() throws Exception {
        ToyPretrainer.Result base = TinyPretraining.run(TinyPretraining.options(4, 4), dir.resolve("base"), false,
                () -> false, PretrainListener.NONE);
        TinyPretraining.Recorder recorder = new TinyPretraining.Recorder();
        PretrainOptions more = TinyPretraining.options(4, 3).withInitFrom(base.checkpoint());
        ToyPretrainer.Result continued = TinyPretraining.run(more, dir.resolve("more"), false, () -> false, recorder);

        assertTrue(continued.finished());
        assertEquals(0, recorder.losses(Phase.VAE).size(), "no VAE phase");
        assertEquals(3, recorder.losses(Phase.DIFFUSION).size());
        try (SafetensorsFile before = SafetensorsFile.open(base.checkpoint());
                SafetensorsFile after = SafetensorsFile.open(continued.checkpoint())) {
            String vaeKey = "first_stage_model.decoder.conv_out.weight";
            assertArrayEquals(before.readFloats(vaeKey), after.readFloats(vaeKey), 0f, "the VAE is kept");
            String unetKey = "model.diffusion_model.out.2.weight";
            assertFalse(java.util.Arrays.equals(before.readFloats(unetKey), after.readFloats(unetKey)), "the UNet trained on");
            String command = after.metadata().get("bakehouse.command");
            assertTrue(command.matches("bakehouse pretrain-toy .* --unet-steps 4 .* && bakehouse pretrain-toy .* --unet-steps 3 .*"
                    + "--init-from toy-sd1.safetensors"), command);
        }
    }
}
