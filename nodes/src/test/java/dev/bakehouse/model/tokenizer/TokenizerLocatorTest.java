package dev.bakehouse.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerLocatorTest {
    @TempDir
    Path tmp;

    private static Path withFiles(Path folder) throws IOException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve(TokenizerFiles.VOCAB), "{}");
        Files.writeString(folder.resolve(TokenizerFiles.MERGES), "#version: 0.2\n");
        return folder;
    }

    @Test
    void locate_comfyUiInstall_findsSd1Tokenizer() throws IOException {
        Path comfy = tmp.resolve("ComfyUI");
        withFiles(comfy.resolve("comfy/sd1_tokenizer"));
        TokenizerLocator locator = TokenizerLocator.standard(null, null, Map.of("COMFYUI_PATH", comfy.toString()), tmp.resolve("home"));
        assertEquals(TokenizerFiles.in(comfy.resolve("comfy/sd1_tokenizer")), locator.locate());
    }

    @Test
    void locate_hfCache_prefersRefsMainSnapshot() throws IOException {
        Path repo = tmp.resolve("home/.cache/huggingface/hub/models--openai--clip-vit-large-patch14");
        withFiles(repo.resolve("snapshots/aaa"));
        withFiles(repo.resolve("snapshots/bbb"));
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), "bbb\n");
        TokenizerLocator locator = TokenizerLocator.standard(null, null, Map.of(), tmp.resolve("home"));
        assertEquals(TokenizerFiles.in(repo.resolve("snapshots/bbb")), locator.locate());
    }

    @Test
    void locate_hfHomeVariable_overridesHomeCache() throws IOException {
        Path snapshot = withFiles(tmp.resolve("hf/hub/models--openai--clip-vit-large-patch14/snapshots/r1"));
        TokenizerLocator locator = TokenizerLocator.standard(null, null, Map.of("HF_HOME", tmp.resolve("hf").toString()), tmp.resolve("home"));
        assertEquals(TokenizerFiles.in(snapshot), locator.locate());
    }

    @Test
    void locate_configuredBeforeModelFolder_andDiffusersLayout() throws IOException {
        Path model = tmp.resolve("model");
        withFiles(model.resolve("tokenizer"));
        Path configured = withFiles(tmp.resolve("configured"));
        assertEquals(TokenizerFiles.in(configured),
                TokenizerLocator.standard(configured, model, Map.of(), tmp).locate());
        assertEquals(TokenizerFiles.in(model.resolve("tokenizer")),
                TokenizerLocator.standard(null, model, Map.of(), tmp).locate());
    }

    @Test
    void locate_dataDir_afterConfiguredAndEnv_beforeModelFolder() throws IOException {
        Path data = tmp.resolve("data");
        Path inData = withFiles(data.resolve(TokenizerLocator.DATA_DIR_TOKENIZER));
        Path model = withFiles(tmp.resolve("model"));
        Path env = withFiles(tmp.resolve("env"));
        Path configured = withFiles(tmp.resolve("configured"));
        Path home = tmp.resolve("home");
        assertEquals(TokenizerFiles.in(inData), TokenizerLocator.standard(null, data, model, Map.of(), home).locate());
        assertEquals(TokenizerFiles.in(env), TokenizerLocator.standard(null, data, model,
                Map.of("BAKEHOUSE_CLIP_TOKENIZER", env.toString()), home).locate());
        assertEquals(TokenizerFiles.in(configured), TokenizerLocator.standard(configured, data, model,
                Map.of("BAKEHOUSE_CLIP_TOKENIZER", env.toString()), home).locate());
        TokenizerNotFoundException e = assertThrows(TokenizerNotFoundException.class,
                () -> new TokenizerLocator().dataDir(tmp.resolve("empty")).locate());
        assertTrue(e.getMessage().contains("data dir: " + tmp.resolve("empty").resolve(TokenizerLocator.DATA_DIR_TOKENIZER)),
                e.getMessage());
    }

    @Test
    void locate_standardWithNothingInstalled_fallsBackToBundledCopy() {
        TokenizerFiles found = TokenizerLocator.standard(null, tmp.resolve("data"), tmp.resolve("model"), Map.of(),
                tmp.resolve("home")).locate();
        assertEquals(BundledTokenizer.files(), found);
        assertTrue(found.derivesVocab(), found.toString());
        assertTrue(Files.isRegularFile(found.merges()), found.toString());
    }

    @Test
    void locate_nothingFound_listsEveryPlaceAndWhy() throws IOException {
        Path half = tmp.resolve("half");
        Files.createDirectories(half);
        Files.writeString(half.resolve(TokenizerFiles.VOCAB), "{}");
        TokenizerNotFoundException e = assertThrows(TokenizerNotFoundException.class,
                () -> new TokenizerLocator().configured(half).modelFolder(tmp.resolve("model"))
                        .comfyUiInstall(tmp.resolve("comfy"))
                        .huggingFaceCache(TokenizerLocator.huggingFaceHubCache(Map.of(), tmp.resolve("home"))).locate());
        String m = e.getMessage();
        assertTrue(m.contains("configured folder: " + half + " (merges.txt missing)"), m);
        assertTrue(m.contains("model folder: " + tmp.resolve("model") + " (no such folder)"), m);
        assertTrue(m.contains("ComfyUI install: " + tmp.resolve("comfy/comfy/sd1_tokenizer")), m);
        assertTrue(m.contains("Hugging Face cache: " + tmp.resolve("home/.cache/huggingface/hub/models--openai--clip-vit-large-patch14") + " (no snapshots)"), m);
    }
}
