package dev.bakehouse.model;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.bakehouse.testing.SharedResources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Inputs the model cannot take are refused with the expected and found shape, not a libtorch error. */
class ModelInputsTest {
    private static StableDiffusion model;

    @BeforeAll
    static void load() {
        model = TinyFixtureModel.load("tiny.safetensors");
    }

    @AfterAll
    static void close() throws Exception {
        SharedResources.close(model);
    }

    @Test
    void unet_wrongLatentChannelsOrContextWidth_namesExpectedAndFound() {
        try (NDManager step = model.manager().newSubManager()) {
            var t = step.create(new float[] {10});
            var e = assertThrows(IllegalArgumentException.class, () -> model.unet().forward(
                    step.zeros(new Shape(1, 3, 8, 8)), t, step.zeros(new Shape(1, 77, 32))));
            assertTrue(e.getMessage().contains("(B, 4, H, W)") && e.getMessage().contains("(1, 3, 8, 8)"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> model.unet().forward(
                    step.zeros(new Shape(1, 4, 12, 8)), t, step.zeros(new Shape(1, 77, 32))));
            assertTrue(e.getMessage().contains("multiples of 8"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> model.unet().forward(
                    step.zeros(new Shape(1, 4, 8, 8)), t, step.zeros(new Shape(1, 77, 768))));
            assertTrue(e.getMessage().contains("(1, S, 32)") && e.getMessage().contains("(1, 77, 768)"), e.getMessage());
        }
    }

    @Test
    void textEncoder_idOutsideVocabulary_isRefused() {
        try (NDManager step = model.manager().newSubManager()) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> model.textEncoder().forward(step.create(new long[] {49406, 49408}, new Shape(1, 2))));
            assertTrue(e.getMessage().contains("49408"), e.getMessage());
        }
    }

    @Test
    void vae_imageNotMultipleOfDownscale_isRefused() {
        try (NDManager step = model.manager().newSubManager()) {
            var e = assertThrows(IllegalArgumentException.class, () -> model.vae().encode(step.zeros(new Shape(1, 3, 60, 64))));
            assertTrue(e.getMessage().contains("multiple of 8"), e.getMessage());
        }
    }
}
