package dev.bakehouse.toy.pretrain;

import dev.bakehouse.io.AtomicFiles;
import dev.bakehouse.model.ModelConfig;
import dev.bakehouse.model.ModelConfigs;
import dev.bakehouse.model.nn.Param;
import dev.bakehouse.model.nn.ParamStore;
import dev.bakehouse.tensor.DType;
import dev.bakehouse.tensor.SafetensorsWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * A model's weights as an LDM single-file checkpoint (the keys are the model's own, which are
 * LDM's: {@code model.diffusion_model.*}, {@code cond_stage_model.transformer.*},
 * {@code first_stage_model.*}) with its {@code .config.json} sidecar, so the loader builds the
 * custom-size architecture without guessing head counts.
 */
public final class ToyCheckpoint {
    private ToyCheckpoint() {}

    /**
     * Writes {@code file} and its sidecar, each to a temp file moved into place.
     *
     * @param dtype F16 for the shipped model (half the size), F32 for resumable progress
     */
    public static void write(ParamStore params, ModelConfig config, Path file, DType dtype, Map<String, String> metadata)
            throws IOException {
        if (dtype != DType.F16 && dtype != DType.F32) {
            throw new IllegalArgumentException("toy checkpoint " + file + ": dtype must be F16 or F32, got " + dtype);
        }
        SafetensorsWriter writer = new SafetensorsWriter().metadata(metadata);
        for (Param p : params.params().values()) {
            writer.addFloats(p.key(), dtype, p.shape().getShape(), p.value().toFloatArray());
        }
        writer.write(file);
        AtomicFiles.write(ModelConfigs.sidecarPath(file), ModelConfigs.toLdmJson(config).getBytes(StandardCharsets.UTF_8));
    }
}
