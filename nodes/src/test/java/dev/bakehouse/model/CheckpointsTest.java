package dev.bakehouse.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDManager;
import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.tensor.SafetensorsWriter;
import dev.bakehouse.tensor.sd.CheckpointView;
import dev.bakehouse.tensor.sd.DiffusersFolder;
import dev.bakehouse.tensor.sd.LdmKeys;
import dev.bakehouse.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a checkpoint reaches the model goes through {@link Checkpoints#load} and gives the same model. */
class CheckpointsTest {
    private static final String OUT_BIAS = "model.diffusion_model.out.2.bias";
    private static final String TEXT_PREFIX = "cond_stage_model.transformer.text_model.";

    @TempDir
    Path dir;

    @Test
    void diffusersFolder_givesTheSameEpsAsTheSingleFile() throws Exception {
        Path template = Files.createDirectories(dir.resolve("template"));
        Files.writeString(template.resolve("model_index.json"), "{\"_class_name\": \"StableDiffusionPipeline\"}");
        Path folder = dir.resolve("tiny-diffusers");
        try (SafetensorsFile single = SafetensorsFile.open(Fixtures.file("sd15-tiny/tiny.safetensors"))) {
            assertEquals(List.of(), DiffusersFolder.write(single, template, folder));
        }
        try (StableDiffusion fromFile = TinyFixtureModel.load("tiny.safetensors");
                StableDiffusion fromFolder = load(folder, CheckpointView.Weights.NON_EMA)) {
            assertArrayEquals(epsOnCases(fromFile), epsOnCases(fromFolder));
            assertArrayEquals(textOnCases(fromFile), textOnCases(fromFolder));
        }
    }

    @Test
    void trainingCheckpointWithEma_plainWeightsByDefault_emaWhenAsked() throws Exception {
        Path file = dir.resolve("with-ema.safetensors");
        float[] plain;
        float[] ema;
        try (SafetensorsFile tiny = SafetensorsFile.open(Fixtures.file("sd15-tiny/tiny.safetensors"))) {
            plain = tiny.readFloats(OUT_BIAS);
            ema = plain.clone();
            for (int i = 0; i < ema.length; i++) {
                ema[i] += 1f;
            }
            SafetensorsWriter w = copy(tiny, UnaryOperator.identity());
            w.addFloats(LdmKeys.emaKeyFor(OUT_BIAS), tiny.info(OUT_BIAS).dtype(), tiny.info(OUT_BIAS).shape(), ema);
            w.write(file);
        }
        try (StableDiffusion byDefault = Checkpoints.load(file, Fixtures.file("sd15-tiny/config.json"), ComputeDevice.CPU);
                StableDiffusion withEma = load(file, CheckpointView.Weights.EMA)) {
            assertArrayEquals(plain, byDefault.params().get(OUT_BIAS).value().toFloatArray());
            assertArrayEquals(ema, withEma.params().get(OUT_BIAS).value().toFloatArray());
            assertFalse(Arrays.equals(epsOnCases(byDefault), epsOnCases(withEma)), "the EMA bias changed nothing");
        }
    }

    @Test
    void oldTransformersTextKeys_loadLikeTodaysSpelling() throws Exception {
        Path file = dir.resolve("old-clip.safetensors");
        try (SafetensorsFile tiny = SafetensorsFile.open(Fixtures.file("sd15-tiny/tiny.safetensors"))) {
            copy(tiny, key -> key.startsWith(TEXT_PREFIX)
                    ? "cond_stage_model.transformer." + key.substring(TEXT_PREFIX.length()) : key).write(file);
        }
        try (StableDiffusion current = TinyFixtureModel.load("tiny.safetensors");
                StableDiffusion old = load(file, CheckpointView.Weights.NON_EMA)) {
            assertArrayEquals(textOnCases(current), textOnCases(old));
        }
    }

    private static StableDiffusion load(Path checkpoint, CheckpointView.Weights weights) throws Exception {
        return Checkpoints.load(checkpoint, Fixtures.file("sd15-tiny/config.json"), weights, ComputeDevice.CPU);
    }

    private static SafetensorsWriter copy(SafetensorsFile from, UnaryOperator<String> rename) throws Exception {
        SafetensorsWriter w = new SafetensorsWriter();
        for (String name : from.names()) {
            w.copyFrom(from, name, rename.apply(name));
        }
        return w;
    }

    private static float[] epsOnCases(StableDiffusion model) throws Exception {
        try (FixtureTensors cases = new FixtureTensors("sd15-tiny/cases.safetensors");
                NDManager step = model.manager().newSubManager()) {
            return model.unet().forward(cases.array(step, "latents"), cases.array(step, "timesteps"),
                    cases.array(step, "context")).toFloatArray();
        }
    }

    private static float[] textOnCases(StableDiffusion model) throws Exception {
        try (FixtureTensors cases = new FixtureTensors("sd15-tiny/cases.safetensors");
                NDManager step = model.manager().newSubManager()) {
            return model.textEncoder().forward(cases.array(step, "text_ids")).lastHiddenState().toFloatArray();
        }
    }
}
