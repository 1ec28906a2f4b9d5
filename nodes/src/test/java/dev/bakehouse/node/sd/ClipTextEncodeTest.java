package dev.bakehouse.node.sd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.bakehouse.model.StableDiffusion;
import dev.bakehouse.model.clip.ClipTextModel;
import dev.bakehouse.model.tokenizer.ClipTokenizer;
import dev.bakehouse.model.tokenizer.ComfyPrompt;
import dev.bakehouse.model.ComputeDevice;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.testing.SharedResources;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipTextEncodeTest {
    @TempDir
    static Path root;

    private static ModelNodesHarness tiny;
    private static ClipValue clip;

    @BeforeAll
    static void load() throws Exception {
        tiny = new ModelNodesHarness(root);
        clip = tiny.clip();
    }

    @AfterAll
    static void close() throws Exception {
        SharedResources.close(tiny);
    }

    private static float[] values(Conditioning c) {
        return c.context().toFloatArray();
    }

    @Test
    void encode_shortPrompt_isOneRowOf77Tokens() {
        assertEquals(new Shape(1, 77, 32), tiny.encode(clip, "a red circle").context().shape());
    }

    @Test
    void encode_longPrompt_concatenatesRowsOf77AlongTheTokenAxis() {
        String words = "red circle blue square green triangle ".repeat(15); // > 75 tokens
        ClipTokenizer tokenizer = clip.tokenizer().get();
        int rows = ComfyPrompt.encode(words, tokenizer).rows().rowCount();
        assertTrue(rows >= 2, "prompt should need two rows, got " + rows);
        assertEquals(new Shape(1, 77L * rows, 32), tiny.encode(clip, words).context().shape());
    }

    /** ComfyUI: weighted tokens become (z - z_empty) * w + z_empty; others stay as they are. */
    @Test
    void encode_emphasis_movesWeightedTokensAwayFromTheEmptyPrompt() {
        float[] plain = values(tiny.encode(clip, "a cat dog"));
        float[] empty = values(tiny.encode(clip, ""));
        float[] weighted = values(tiny.encode(clip, "a (cat:1.5) dog"));
        int width = 32;
        int catToken = 2; // BOS, "a", "cat"
        for (int t = 0; t < 77; t++) {
            for (int c = 0; c < width; c++) {
                int i = t * width + c;
                float expected = t == catToken ? (plain[i] - empty[i]) * 1.5f + empty[i] : plain[i];
                assertEquals(expected, weighted[i], 1e-5f, "token " + t + " channel " + c);
            }
        }
    }

    @Test
    void setLastLayer_minus2_isThePenultimateLayerThroughTheFinalNorm() {
        ClipValue skip = (ClipValue) new ClipSetLastLayer().execute(new NodeInputs("CLIPSetLastLayer #2",
                Map.of("clip", clip, "stop_at_clip_layer", -2L)), tiny.context()).outputs().get(0);
        assertEquals(-1, clip.stopAtLayer(), "the input CLIP must not change");
        float[] last = values(tiny.encode(clip, "a red circle"));
        float[] penultimate = values(tiny.encode(skip, "a red circle"));
        assertNotEquals(last[100], penultimate[100]);

        long[] ids = ComfyPrompt.encode("a red circle", clip.tokenizer().get()).rows().flatIds();
        StableDiffusion model = tiny.cache.checkpoint(clip.checkpoint().file());
        try (NDManager m = model.manager().newSubManager()) {
            ClipTextModel encoder = model.textEncoder();
            NDArray expected = encoder.withClipSkip(encoder.forward(m.create(ids, new Shape(1, 77))), 2);
            float[] want = expected.toFloatArray();
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], penultimate[i], 1e-5f);
            }
        }
    }

    @Test
    void encode_layerBeyondTheEncoder_errorNamesStopAtClipLayer() {
        ClipValue tooDeep = clip.withStopAtLayer(-3); // the tiny encoder has 2 layers
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tiny.encode(tooDeep, "a"));
        assertTrue(e.getMessage().contains("stop_at_clip_layer -3"), e.getMessage());
    }

    @Test
    void encode_noTokenizerInstalled_usesBundledTokenizer(@TempDir Path elsewhere) throws Exception {
        ModelSettings nothing = new ModelSettings(ComputeDevice.CPU, null, Map.of(), elsewhere, 2);
        Tokenizers none = new Tokenizers(DataDirs.of(elsewhere), nothing, tiny.cache);
        ClipValue withoutTokenizer = new ClipValue(clip.checkpoint(),
                none.forCheckpoint(tiny.dirs.resolveModel(DataDirs.CHECKPOINTS, ModelNodesHarness.CHECKPOINT)), tiny.embeddings, -1);
        assertEquals(ClipTokenizer.EOS + 1, withoutTokenizer.tokenizer().get().vocabSize());
        assertArrayEquals(values(tiny.encode(clip, "a red circle")), values(tiny.encode(withoutTokenizer, "a red circle")));
    }
}
