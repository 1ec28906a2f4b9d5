package dev.bakehouse.model;

import dev.bakehouse.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The conformance fixtures' tiny SD1 and SDXL models, loaded the way users load a checkpoint. */
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

    /** {@code sdxl-tiny/tiny.safetensors} (F16 weights, SDXL single-file layout) with its {@code config.json}. */
    public static StableDiffusion loadSdxl() {
        try {
            return Checkpoints.load(Fixtures.file("sdxl-tiny/tiny.safetensors"), Fixtures.file("sdxl-tiny/config.json"),
                    ComputeDevice.CPU);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
