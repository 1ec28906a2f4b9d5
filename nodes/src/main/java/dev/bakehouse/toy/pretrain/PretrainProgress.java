package dev.bakehouse.toy.pretrain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a run stands ({@code progress.json} beside the saved weights and optimizer state): the
 * phase, the steps done in it, the VAE's latent scale once measured, and the options it runs with.
 *
 * @param options the {@link PretrainOptions#toString()} of the run, compared on resume
 */
record PretrainProgress(PretrainListener.Phase phase, long step, double scaleFactor, String options) {
    static final String FILE = "progress.json";

    void write(Path dir) throws IOException {
        ObjectNode json = new ObjectMapper().createObjectNode();
        json.put("phase", phase.name()).put("step", step).put("scale_factor", scaleFactor).put("options", options);
        AtomicFiles.write(dir.resolve(FILE),
                new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(json).getBytes(StandardCharsets.UTF_8));
    }

    static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE));
    }

    static PretrainProgress read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        JsonNode json = new ObjectMapper().readTree(file.toFile());
        String phase = json.path("phase").asText();
        try {
            return new PretrainProgress(PretrainListener.Phase.valueOf(phase), json.path("step").asLong(),
                    json.path("scale_factor").asDouble(Double.NaN), json.path("options").asText());
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": phase must be one of VAE, LATENTS, DIFFUSION, got '" + phase + "'", e);
        }
    }
}
