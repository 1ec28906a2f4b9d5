package dev.bakehouse.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.model.ModelConfig;
import dev.bakehouse.model.ModelConfigs;
import dev.bakehouse.model.clip.TextEncoderConfig;
import dev.bakehouse.model.unet.UNetConfig;
import dev.bakehouse.model.vae.VaeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PretrainToyCommandTest {
    @TempDir
    Path dir;

    private static CommandRun run(String... args) {
        return CommandRun.of(args);
    }

    @Test
    void pretrainToy_tinyConfigFewSteps_printsPhasesAndWritesModelWithSidecar() throws Exception {
        ModelConfig tiny = new ModelConfig(
                new UNetConfig(4, 4, 32, List.of(1, 1, 1, 1), 2, List.of(4, 2, 1), 2, -1, 1, 32, false, 32, 1e-5, 1e-6, 1e-5),
                new TextEncoderConfig(49408, 32, 1, 2, 64, 77, "quick_gelu", 1e-5),
                new VaeConfig(3, 3, 32, List.of(1, 1, 1, 1), 1, 4, 4, true, 32, 1e-6, 1.0));
        Path config = dir.resolve("tiny.json");
        Files.writeString(config, ModelConfigs.toLdmJson(tiny));
        Path out = dir.resolve("out");
        CommandRun r = run("pretrain-toy", "--out", out.toString(), "--seed", "3", "--model-config", config.toString(),
                "--resolution", "64", "--vae-steps", "2", "--unet-steps", "2", "--dataset-size", "8");
        assertEquals(0, r.exit(), r.err());
        String err = r.err();
        assertTrue(err.contains("VAE") && err.contains("LATENTS") && err.contains("DIFFUSION"), err);
        assertTrue(err.contains("2/2 loss ") && err.contains("it/s ETA"), err);
        Path model = out.resolve("toy-sd1.safetensors");
        assertEquals(model.toString(), r.out().strip());
        assertTrue(Files.isRegularFile(model));
        ModelConfig written = ModelConfigs.fromLdmJson(ModelConfigs.sidecarPath(model));
        assertEquals(tiny.unet(), written.unet());
        assertTrue(written.vae().scaleFactor() > 0);

        CommandRun again = run("pretrain-toy", "--out", out.toString(), "--seed", "3", "--model-config", config.toString(),
                "--resolution", "64", "--vae-steps", "2", "--unet-steps", "2", "--dataset-size", "8");
        assertEquals(1, again.exit());
        assertTrue(again.err().contains("--resume"), again.err());
    }

    @Test
    void pretrainToy_help_listsTheOptions() {
        CommandRun r = run("pretrain-toy", "--help");
        assertEquals(0, r.exit());
        for (String option : List.of("--out", "--seed", "--minutes", "--vae-steps", "--unet-steps", "--resume")) {
            assertTrue(r.out().contains(option), option + " in " + r.out());
        }
    }

    @Test
    void pretrainToy_negativeMinutes_isRejectedWithTheOptionName() {
        CommandRun r = run("pretrain-toy", "--out", dir.toString(), "--minutes", "-1");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--minutes"), r.err());
    }
}
