package dev.bakehouse.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.testing.Fixtures;
import java.util.LinkedHashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A checkpoint that does not fit fails before anything is read, naming every key and both shapes. */
class CheckpointMismatchTest {
    private static final String DROPPED = "model.diffusion_model.input_blocks.4.0.skip_connection.weight";
    private static final String RESHAPED = "first_stage_model.decoder.conv_in.weight";

    @Test
    void load_missingAndMisShapedKeys_namesKeyExpectedAndFound() throws Exception {
        try (SafetensorsFile file = SafetensorsFile.open(Fixtures.file("sd15-tiny/tiny.safetensors"))) {
            WeightSource tampered = new Tampered(new TensorSourceWeights(file));
            CheckpointMismatchException e = assertThrows(CheckpointMismatchException.class,
                    () -> StableDiffusion.load(tampered, ModelConfig.tiny(), ComputeDevice.CPU));
            assertEquals(2, e.problems().size(), e.getMessage());
            String msg = e.getMessage();
            assertTrue(msg.contains("tampered tiny"), msg);
            assertTrue(msg.contains(DROPPED + ": missing (expected shape [64, 32, 1, 1])"), msg);
            assertTrue(msg.contains(RESHAPED + ": expected shape [96, 4, 3, 3], found [96, 4, 1, 9]"), msg);
        }
    }

    @Test
    void load_sd15ConfigOnTinyCheckpoint_reportsEveryMismatch() throws Exception {
        try (SafetensorsFile file = SafetensorsFile.open(Fixtures.file("sd15-tiny/tiny.safetensors"))) {
            CheckpointMismatchException e = assertThrows(CheckpointMismatchException.class,
                    () -> StableDiffusion.load(new TensorSourceWeights(file), ModelConfig.sd15(), ComputeDevice.CPU));
            // nearly every tiny tensor is narrower than its SD1.5 namesake, and text layers 2..11 are absent
            assertTrue(e.problems().size() > 900, "problems: " + e.problems().size());
            assertTrue(e.getMessage().contains(
                    "model.diffusion_model.input_blocks.0.0.weight: expected shape [320, 4, 3, 3], found [32, 4, 3, 3]"),
                    e.getMessage().substring(0, 400));
            assertTrue(e.getMessage().contains(
                    "cond_stage_model.transformer.text_model.encoder.layers.11.mlp.fc2.bias: missing (expected shape [768])"));
        }
    }

    /** Drops one key and reports another with a wrong shape. */
    private record Tampered(WeightSource inner) implements WeightSource {
        @Override
        public String description() {
            return "tampered tiny";
        }

        @Override
        public Set<String> names() {
            Set<String> names = new LinkedHashSet<>(inner.names());
            names.remove(DROPPED);
            return names;
        }

        @Override
        public long[] shape(String name) {
            return name.equals(RESHAPED) ? new long[] {96, 4, 1, 9} : inner.shape(name);
        }

        @Override
        public float[] readFloats(String name) {
            throw new AssertionError("nothing may be read from a checkpoint that does not fit: " + name);
        }
    }
}
