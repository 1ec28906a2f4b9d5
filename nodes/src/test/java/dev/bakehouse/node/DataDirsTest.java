package dev.bakehouse.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirsTest {
    @TempDir
    Path tmp;

    @Test
    void folders_areCreatedOnDemandUnderTheRoot() {
        DataDirs dirs = DataDirs.of(tmp.resolve("data"));
        assertTrue(Files.isDirectory(dirs.input()));
        assertTrue(Files.isDirectory(dirs.models(DataDirs.LORAS)));
        assertEquals(tmp.resolve("data/models/checkpoints"), dirs.models(DataDirs.CHECKPOINTS));
        assertEquals(tmp.resolve("data/temp"), dirs.area("temp"));
    }

    @Test
    void area_unknownType_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> DataDirs.of(tmp).area("secrets"));
    }

    @Test
    void resolveInside_refusesParentSegmentsAndAbsolutePaths() {
        assertThrows(IllegalArgumentException.class, () -> DataDirs.resolveInside(tmp, "../x.png"));
        assertThrows(IllegalArgumentException.class, () -> DataDirs.resolveInside(tmp, "a/../../x"));
        assertThrows(IllegalArgumentException.class, () -> DataDirs.resolveInside(tmp, "/etc/passwd"));
        assertThrows(IllegalArgumentException.class, () -> DataDirs.resolveInside(tmp, ""));
        assertEquals(tmp.resolve("sub/x.png"), DataDirs.resolveInside(tmp, "sub/x.png"));
    }

    @Test
    void resolveInside_refusesSymlinkLeadingOutside() throws IOException {
        Path base = Files.createDirectories(tmp.resolve("base"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "x");
        Files.createSymbolicLink(base.resolve("link"), outside);
        assertThrows(IllegalArgumentException.class, () -> DataDirs.resolveInside(base, "link/secret.txt"));
        assertThrows(IllegalArgumentException.class, () -> DataDirs.resolveInside(base, "link/new.png"));
    }

    @Test
    void listModels_mergesOwnComfyUiAndA1111FoldersWithForwardSlashes() throws IOException {
        DataDirs plain = DataDirs.of(tmp.resolve("data"));
        touch(plain.models(DataDirs.LORAS).resolve("mine.safetensors"));
        touch(plain.models(DataDirs.LORAS).resolve("readme.txt"));
        Path comfy = tmp.resolve("ComfyUI");
        touch(comfy.resolve("models/loras/style/ink.safetensors"));
        touch(comfy.resolve("models/checkpoints/sd15.ckpt"));
        Path a1111 = tmp.resolve("webui");
        touch(a1111.resolve("models/Lora/char.pt"));
        touch(a1111.resolve("models/Stable-diffusion/anime.safetensors"));

        DataDirs dirs = DataDirs.builder(tmp.resolve("data")).comfyUi(comfy).a1111(a1111).build();

        assertEquals(List.of("char.pt", "mine.safetensors", "style/ink.safetensors"),
                dirs.listModels(DataDirs.LORAS));
        assertEquals(List.of("anime.safetensors", "sd15.ckpt"), dirs.listModels(DataDirs.CHECKPOINTS));
        assertEquals(comfy.resolve("models/loras/style/ink.safetensors"),
                dirs.resolveModel(DataDirs.LORAS, "style/ink.safetensors"));
    }

    @Test
    void lbwPresetFiles_installsFirstThenOurs_soOursWin() throws IOException {
        Path comfy = tmp.resolve("ComfyUI");
        touch(comfy.resolve("models/loras/x.safetensors"));
        Path a1111 = tmp.resolve("webui");
        touch(a1111.resolve("models/Stable-diffusion/anime.safetensors"));
        DataDirs dirs = DataDirs.builder(tmp.resolve("data")).a1111(a1111).comfyUi(comfy)
                .comfyUi(comfy.resolve("models")).build();
        assertEquals(List.of(a1111.resolve("extensions/sd-webui-lora-block-weight/scripts/lbwpresets.txt"),
                comfy.resolve("custom_nodes/ComfyUI-Inspire-Pack/resources/lbw-preset.custom.txt"),
                tmp.resolve("data").toAbsolutePath().resolve("lbw/presets.txt")), dirs.lbwPresetFiles());
    }

    @Test
    void install_tellsA1111FromComfyUiByItsStableDiffusionFolder() throws IOException {
        Path comfy = tmp.resolve("ComfyUI");
        touch(comfy.resolve("models/checkpoints/sd15.ckpt"));
        Path a1111 = tmp.resolve("webui");
        touch(a1111.resolve("models/Stable-diffusion/anime.safetensors"));
        touch(a1111.resolve("models/Lora/char.pt"));

        DataDirs dirs = DataDirs.builder(tmp.resolve("data")).install(comfy).install(a1111).build();

        assertEquals(List.of("anime.safetensors", "sd15.ckpt"), dirs.listModels(DataDirs.CHECKPOINTS));
        assertEquals(List.of("char.pt"), dirs.listModels(DataDirs.LORAS));
    }

    @Test
    void listModels_diffusersFolderIsOneModelNamedByItsPath_itsFilesAreNotListed() throws IOException {
        DataDirs dirs = DataDirs.of(tmp.resolve("data"));
        Path checkpoints = dirs.models(DataDirs.CHECKPOINTS);
        touch(checkpoints.resolve("sd15.safetensors"));
        touch(checkpoints.resolve("pipelines/anime/" + DataDirs.MODEL_FOLDER_MARKER));
        touch(checkpoints.resolve("pipelines/anime/unet/diffusion_pytorch_model.safetensors"));
        touch(checkpoints.resolve("no-index/unet/diffusion_pytorch_model.safetensors"));

        assertEquals(List.of("no-index/unet/diffusion_pytorch_model.safetensors", "pipelines/anime", "sd15.safetensors"),
                dirs.listModels(DataDirs.CHECKPOINTS));
        assertEquals(checkpoints.resolve("pipelines/anime"), dirs.resolveModel(DataDirs.CHECKPOINTS, "pipelines/anime"));
        assertThrows(IllegalArgumentException.class, () -> dirs.resolveModel(DataDirs.CHECKPOINTS, "no-index"),
                "a folder without model_index.json is no model");
    }

    @Test
    void listModels_trainingStateFolder_isNotListed() throws IOException {
        DataDirs dirs = DataDirs.of(tmp.resolve("data"));
        Path run = dirs.models(DataDirs.LORAS).resolve("kiki");
        touch(run.resolve("kiki-000001.safetensors"));
        touch(run.resolve("kiki-step00000004-state/train_state.json"));
        touch(run.resolve("kiki-step00000004-state/lora.safetensors"));
        touch(run.resolve("kiki-step00000004-state/optimizer.safetensors"));

        assertEquals(List.of("kiki/kiki-000001.safetensors"), dirs.listModels(DataDirs.LORAS));
    }

    @Test
    void resolveModel_missingOrEscaping_isRejectedNamingTheFile() {
        DataDirs dirs = DataDirs.of(tmp);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> dirs.resolveModel(DataDirs.LORAS, "nope.safetensors"));
        assertTrue(e.getMessage().contains("nope.safetensors"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> dirs.resolveModel(DataDirs.LORAS, "../../etc/passwd"));
    }

    private static void touch(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "x");
    }
}
