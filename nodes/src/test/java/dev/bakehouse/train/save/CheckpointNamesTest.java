package dev.bakehouse.train.save;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class CheckpointNamesTest {

    @Test
    void names_followKohyaPatterns() {
        CheckpointNames n = new CheckpointNames("kiki", "safetensors");
        assertEquals("kiki-000004.safetensors", n.epochFile(4));
        assertEquals("kiki-step00000500.safetensors", n.stepFile(500));
        assertEquals("kiki.safetensors", n.lastFile());
        assertEquals("kiki-000004-state", n.epochState(4));
        assertEquals("kiki-step00000500-state", n.stepState(500));
        assertEquals("kiki-state", n.lastState());
    }

    @Test
    void withoutOutputName_usesKohyaDefaults() {
        CheckpointNames n = new CheckpointNames(null, "safetensors");
        assertEquals("epoch-000001.safetensors", n.epochFile(1));
        assertEquals("at-step00000010.safetensors", n.stepFile(10));
        assertEquals("last.safetensors", n.lastFile());
        assertEquals("last-state", n.lastState());
    }

    @Test
    void saveLastNEpochs_removesTheEpochThatFallsOutOfTheWindow() {
        assertEquals(OptionalInt.empty(), CheckpointNames.epochToRemove(3, 1, null));
        assertEquals(OptionalInt.empty(), CheckpointNames.epochToRemove(1, 1, 2));
        assertEquals(OptionalInt.of(0), CheckpointNames.epochToRemove(2, 1, 2));
        assertEquals(OptionalInt.of(2), CheckpointNames.epochToRemove(6, 2, 2)); // keeps 4 and 6
    }

    @Test
    void saveLastNSteps_countsSteps_asKohyasExample() {
        // kohya's comment: save_every_n_steps=10, save_last_n_steps=30 -> at step 50 keep 30, 40, 50 and remove 10
        assertEquals(OptionalInt.of(10), CheckpointNames.stepToRemove(50, 10, 30));
        assertEquals(OptionalInt.empty(), CheckpointNames.stepToRemove(30, 10, 30));
        assertEquals(OptionalInt.empty(), CheckpointNames.stepToRemove(50, 10, null));
    }
}
