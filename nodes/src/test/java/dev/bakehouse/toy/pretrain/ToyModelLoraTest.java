package dev.bakehouse.toy.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.model.Checkpoints;
import dev.bakehouse.model.ComputeDevice;
import dev.bakehouse.model.ModelConfigs;
import dev.bakehouse.model.StableDiffusion;
import dev.bakehouse.model.tokenizer.BundledTokenizer;
import dev.bakehouse.model.tokenizer.ClipTokenizer;
import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.testing.Fixtures;
import dev.bakehouse.toy.world.KohyaDatasetWriter;
import dev.bakehouse.toy.world.SceneKind;
import dev.bakehouse.toy.world.WorldGenerator;
import dev.bakehouse.train.config.TrainNetworkArgs;
import dev.bakehouse.train.data.BadInputPolicy;
import dev.bakehouse.train.run.LoraTrainer;
import dev.bakehouse.train.run.TrainingListener;
import dev.bakehouse.train.run.TrainingSetup;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pretrained toy checkpoint is a base model like any other: the LoRA trainer trains on it. */
class ToyModelLoraTest {
    @TempDir
    Path dir;

    @Test
    void loraTrainer_onPretrainedToyCheckpoint_trainsAndSavesSd15ModuleNames() throws Exception {
        Path checkpoint = TinyPretraining.run(TinyPretraining.options(2, 2), dir.resolve("pretrain"), false, () -> false,
                PretrainListener.NONE).checkpoint();
        Path data = dir.resolve("train");
        new KohyaDatasetWriter(new WorldGenerator(64)).write(data, "kiki", 2, 4, 7, SceneKind.KIKI);
        Path out = dir.resolve("lora");
        TrainNetworkArgs args = ((TrainNetworkArgs.Parsed) TrainNetworkArgs.parse(List.of(
                "--pretrained_model_name_or_path=" + checkpoint, "--train_data_dir=" + data, "--output_dir=" + out,
                "--output_name=kiki", "--resolution=64", "--caption_extension=.txt", "--network_dim=4",
                "--network_alpha=2", "--learning_rate=1e-3",
                "--train_batch_size=2", "--max_train_steps=3", "--seed=42"), dir, false)).args();
        List<Double> losses = new ArrayList<>();
        LoraTrainer.Result result;
        try (StableDiffusion model = Checkpoints.load(checkpoint, ModelConfigs.sidecarPath(checkpoint), ComputeDevice.CPU)) {
            result = LoraTrainer.run(new LoraTrainer.Inputs(TrainingSetup.resolve(args, BadInputPolicy.STOP, 7), model,
                    ClipTokenizer.load(BundledTokenizer.files()), out, out.resolve("cache"), "toy-vae",
                    new LoraTrainer.RunIdentity(1, Instant.ofEpochSecond(1_733_600_000L), null, "bakehouse/test"),
                    null, () -> false, null), new TrainingListener() {
                        @Override
                        public void message(String line) {}

                        @Override
                        public void step(long step, long maxSteps, StepReport report) {
                            losses.add(report.loss());
                        }
                    });
        }
        assertFalse(result.stopped());
        assertEquals(3, losses.size());
        assertTrue(losses.stream().allMatch(Double::isFinite), losses.toString());
        // SD1.5's transformer blocks, so the plain LoRA (no conv_dim) has the SD1-structured fixture LoRA's
        // attention modules, named as kohya names them
        Set<String> fixture = unetModules(Fixtures.file("sd15-tiny/lora.safetensors"));
        fixture.removeIf(name -> !name.contains("_attentions_"));
        assertEquals(fixture, unetModules(result.last()));
    }

    private static Set<String> unetModules(Path lora) throws Exception {
        try (SafetensorsFile f = SafetensorsFile.open(lora)) {
            Set<String> modules = new TreeSet<>();
            for (String name : f.names()) {
                if (name.startsWith("lora_unet_")) {
                    modules.add(name.substring(0, name.indexOf('.')));
                }
            }
            return modules;
        }
    }
}
