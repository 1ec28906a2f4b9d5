package dev.bakehouse.toy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.model.ModelConfig;
import dev.bakehouse.model.ModelConfigs;
import dev.bakehouse.node.DataDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedToyModelTest {
    @TempDir
    Path data;

    @Test
    void checkpointChoices_emptyDataDir_offersTheToyModel_resolvedToACachedCopyWithItsSidecar() throws Exception {
        DataDirs dirs = DataDirs.of(data);
        assertEquals(List.of(EmbeddedToyModel.NAME), dirs.checkpointChoices());
        Path file = dirs.resolveCheckpoint("toy-sd1");
        assertTrue(file.startsWith(data.resolve("cache/embedded")), file.toString());
        ModelConfig config = ModelConfigs.fromLdmJson(ModelConfigs.sidecarPath(file));
        assertEquals(ModelConfig.toy().unet(), config.unet());
        assertTrue(config.vae().scaleFactor() > 0 && config.vae().scaleFactor() != 1.0, "the measured latent scale");
        assertTrue(Files.size(file) < 30L * 1024 * 1024, "at most 30 MB: " + Files.size(file));

        FileTime written = Files.getLastModifiedTime(file);
        Files.setLastModifiedTime(file, FileTime.fromMillis(written.toMillis() - 60_000));
        assertEquals(file, dirs.resolveCheckpoint(EmbeddedToyModel.NAME));
        assertEquals(written.toMillis() - 60_000, Files.getLastModifiedTime(file).toMillis(), "copied once, then reused");
    }

    @Test
    void checkpointChoices_userCheckpoints_comeFirst_andAUserFileOfTheSameNameWins() throws Exception {
        Path checkpoints = Files.createDirectories(data.resolve("models/checkpoints"));
        Files.writeString(checkpoints.resolve("a.safetensors"), "x");
        DataDirs dirs = DataDirs.of(data);
        assertEquals(List.of("a.safetensors", EmbeddedToyModel.NAME), dirs.checkpointChoices());

        Files.writeString(checkpoints.resolve(EmbeddedToyModel.NAME), "mine");
        assertEquals(List.of("a.safetensors", EmbeddedToyModel.NAME), dirs.checkpointChoices());
        assertEquals(checkpoints.resolve(EmbeddedToyModel.NAME), dirs.resolveCheckpoint(EmbeddedToyModel.NAME));
    }
}
