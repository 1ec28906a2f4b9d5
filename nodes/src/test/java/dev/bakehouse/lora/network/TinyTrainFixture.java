package dev.bakehouse.lora.network;

import dev.bakehouse.lora.format.LoraNetwork;
import dev.bakehouse.lora.format.LoraReader;
import dev.bakehouse.model.ComputeDevice;
import dev.bakehouse.model.ModelConfig;
import dev.bakehouse.model.StableDiffusion;
import dev.bakehouse.model.TensorSourceWeights;
import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.testing.Fixtures;
import dev.bakehouse.testing.SharedResources;

/** The tiny model, train-cases and the fixture LoRA (network_weights), opened once per test class. */
record TinyTrainFixture(SafetensorsFile checkpoint, SafetensorsFile cases, StableDiffusion model, LoraNetwork lora)
        implements AutoCloseable {

    static TinyTrainFixture open() throws Exception {
        SafetensorsFile checkpoint = SafetensorsFile.open(Fixtures.file("sd15-tiny/tiny.safetensors"));
        SafetensorsFile cases = SafetensorsFile.open(Fixtures.file("sd15-tiny/train-cases.safetensors"));
        StableDiffusion model = StableDiffusion.load(new TensorSourceWeights(checkpoint), ModelConfig.tiny(), ComputeDevice.CPU);
        return new TinyTrainFixture(checkpoint, cases, model, LoraReader.read(Fixtures.file("sd15-tiny/lora.safetensors")));
    }

    /** Null-safe: the class's @BeforeAll may have skipped before opening it. */
    static void close(TinyTrainFixture f) throws Exception {
        if (f != null) {
            f.close();
        }
    }

    @Override
    public void close() throws Exception {
        SharedResources.close(model, checkpoint, cases);
    }
}
