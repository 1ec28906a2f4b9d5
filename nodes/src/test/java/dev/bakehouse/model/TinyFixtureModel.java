package dev.bakehouse.model;

import dev.bakehouse.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The conformance fixture's tiny SD1 model, loaded the way users load a checkpoint. */
public final class TinyFixtureModel {
    private TinyFixtureModel() {}

    /** {@code sd15-tiny/tiny.safetensors} (or another file of that folder) with its {@code config.json}. */
    public static StableDiffusion load(String checkpoint) {
        try {
            return Checkpoints.load(Fixtures.file("sd15-tiny/" + checkpoint), Fixtures.file("sd15-tiny/config.json"),
                    ComputeDevice.CPU);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
