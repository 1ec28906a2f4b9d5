package dev.bakehouse.node.sd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.bakehouse.model.StableDiffusion;
import dev.bakehouse.model.clip.ClipTextModel;
import dev.bakehouse.model.tokenizer.ClipTokenizer;
import dev.bakehouse.model.tokenizer.TextNormalization;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.testing.EmbeddingFiles;
import dev.bakehouse.testing.Fixtures;
import dev.bakehouse.testing.SharedResources;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code embedding:name} through CLIPTextEncode on the tiny fixture model (width 32): the vectors
 * enter the encoder exactly where token embeddings would, and ComfyUI's weighting applies to them.
 */
class EmbeddingPromptTest {
    private static final int WIDTH = 32;
    private static final int ROW = ClipTokenizer.ROW_WIDTH;
    private static final String TOKEN_EMBEDDING = ClipTextModel.PREFIX + "embeddings.token_embedding.weight";

    @TempDir
    static Path root;

    private static ModelNodesHarness tiny;
    private static ClipValue clip;
    private static ClipTokenizer tokenizer;
    private static float[] tokenTable;
    private static Path embeddingsDir;

    @BeforeAll
    static void load() throws Exception {
        tiny = new ModelNodesHarness(root);
        clip = tiny.clip();
        tokenizer = clip.tokenizer().get();
        try (SafetensorsFile weights = SafetensorsFile.open(tiny.dirs.resolveModel(DataDirs.CHECKPOINTS, ModelNodesHarness.CHECKPOINT))) {
            tokenTable = weights.readFloats(TOKEN_EMBEDDING);
        }
        embeddingsDir = tiny.dirs.models(DataDirs.EMBEDDINGS);
    }

    @AfterAll
    static void close() throws Exception {
        SharedResources.close(tiny);
    }

    private static float[] encode(String text) {
        return tiny.encode(clip, text).context().toFloatArray();
    }

    /** Rows of the tiny model's token-embedding table: what these ids look like to the encoder. */
    private static float[] tokenVectors(long... ids) {
        float[] out = new float[ids.length * WIDTH];
        for (int i = 0; i < ids.length; i++) {
            System.arraycopy(tokenTable, (int) ids[i] * WIDTH, out, i * WIDTH, WIDTH);
        }
        return out;
    }

    private static float[] gaussian(int n, long seed) {
        Random rnd = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (0.5 * rnd.nextGaussian());
        }
        return v;
    }

    private static float maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    private static int id(String word) {
        int[] ids = tokenizer.encode(word, TextNormalization.HF_BASIC);
        assertEquals(1, ids.length, word + " should be one token");
        return ids[0];
    }

    @Test
    void embeddingOfTheReferencePromptTokens_matchesReferenceTextLast() throws Exception {
        long[] ids;
        float[] expected;
        try (SafetensorsFile cases = SafetensorsFile.open(Fixtures.file("sd15-tiny/cases.safetensors"))) {
            ids = Arrays.copyOf(cases.readLongs("text_ids"), ROW);
            expected = Arrays.copyOf(cases.readFloats("text_last"), ROW * WIDTH);
        }
        int eos = 1;
        while (ids[eos] != ClipTokenizer.EOS) {
            eos++;
        }
        long[] content = Arrays.copyOfRange(ids, 1, eos);
        EmbeddingFiles.safetensors(embeddingsDir.resolve("reference.safetensors"), "emb_params",
                new long[] {content.length, WIDTH}, tokenVectors(content));

        float[] actual = encode("embedding:reference");
        float scale = 0;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        float error = maxAbsDiff(expected, actual);
        assertTrue(error <= 1e-4f * scale + 1e-5f, "max |error| " + error + " vs reference text_last (max " + scale + ")");
    }

    @Test
    void embedding_equalsTheSamePromptWithItsVectorsSplicedByHand() throws Exception {
        float[] vectors = gaussian(3 * WIDTH, 11);
        EmbeddingFiles.a1111Pt(embeddingsDir.resolve("hand.pt"), new long[] {3, WIDTH}, vectors);
        float[] viaPrompt = encode("a embedding:hand dog");

        long[] ids = new long[ROW];
        Arrays.fill(ids, ClipTokenizer.PAD_SD1);
        long[] prefix = {ClipTokenizer.BOS, id("a"), 0, 0, 0, id("dog"), ClipTokenizer.EOS};
        System.arraycopy(prefix, 0, ids, 0, prefix.length);
        float[] inputs = tokenVectors(ids);
        System.arraycopy(vectors, 0, inputs, 2 * WIDTH, vectors.length);
        float[] byHand;
        StableDiffusion model = tiny.cache.checkpoint(clip.checkpoint().file());
        try (NDManager m = model.manager().newSubManager()) {
            ClipTextModel encoder = model.textEncoder();
            byHand = encoder.forward(m.create(ids, new Shape(1, ROW)), m.create(inputs, new Shape(1, ROW, WIDTH)))
                    .lastHiddenState().toFloatArray();
        }
        float error = maxAbsDiff(byHand, viaPrompt);
        assertTrue(error <= 1e-6f, "max |error| " + error);
        assertTrue(maxAbsDiff(viaPrompt, encode("a dog")) > 0.01f, "the embedding must change the conditioning");
    }

    @Test
    void embeddingOfWordVectors_encodesExactlyLikeTheWords_inEveryFileFormat() throws Exception {
        float[] words = tokenVectors(id("red"), id("circle"));
        long[] shape = {2, WIDTH};
        EmbeddingFiles.safetensors(embeddingsDir.resolve("rc-st.safetensors"), "emb_params", shape, words);
        EmbeddingFiles.a1111Pt(embeddingsDir.resolve("rc-a1111.pt"), shape, words);
        EmbeddingFiles.embParamsPt(embeddingsDir.resolve("rc-diffusers.bin"), shape, words);
        EmbeddingFiles.safetensors(embeddingsDir.resolve("rc-xl.safetensors"), new String[] {"clip_g", "clip_l"},
                new long[][] {{2, 48}, shape}, new float[][] {gaussian(96, 3), words});
        float[] expected = encode("a red circle, blue");
        for (String name : List.of("rc-st", "rc-a1111.pt", "rc-diffusers", "rc-xl")) {
            float error = maxAbsDiff(expected, encode("a embedding:" + name + ", blue"));
            assertTrue(error <= 1e-6f, name + ": max |error| " + error);
        }
    }

    /** ComfyUI: weighted slots become (z - z_empty) * w + z_empty; the others stay as they are. */
    @Test
    void weightedEmbedding_isWeightedLikeWords() throws Exception {
        EmbeddingFiles.safetensors(embeddingsDir.resolve("w.safetensors"), "emb_params", new long[] {2, WIDTH},
                gaussian(2 * WIDTH, 5));
        float[] plain = encode("embedding:w dog");
        float[] empty = encode("");
        float[] weighted = encode("(embedding:w:1.2) dog");
        float error = 0;
        for (int t = 0; t < ROW; t++) {
            for (int c = 0; c < WIDTH; c++) {
                int i = t * WIDTH + c;
                float expected = t == 1 || t == 2 ? (plain[i] - empty[i]) * 1.2f + empty[i] : plain[i];
                error = Math.max(error, Math.abs(expected - weighted[i]));
            }
        }
        assertTrue(error <= 1e-5f, "max |error| " + error);
        float[] wordsWeighted = encode("(red circle:1.2) dog");
        EmbeddingFiles.safetensors(embeddingsDir.resolve("rc.safetensors"), "emb_params", new long[] {2, WIDTH},
                tokenVectors(id("red"), id("circle")));
        float sameAsWords = maxAbsDiff(wordsWeighted, encode("(embedding:rc:1.2) dog"));
        assertTrue(sameAsWords <= 1e-6f, "max |error| " + sameAsWords);
    }

    @Test
    void encodingWithAnEmbedding_leavesNoArraysInTheModelsManager() throws Exception {
        EmbeddingFiles.a1111Pt(embeddingsDir.resolve("leak.pt"), new long[] {3, WIDTH}, gaussian(3 * WIDTH, 9));
        StableDiffusion model = tiny.cache.checkpoint(clip.checkpoint().file());
        encode("(embedding:leak:1.3) dog"); // fills caches derived from weights
        int arrays = model.manager().getManagedArrays().size();
        for (int i = 0; i < 5; i++) {
            encode("(embedding:leak:1.3) dog");
        }
        assertEquals(arrays, model.manager().getManagedArrays().size());
    }

    @Test
    void missingEmbedding_warnsNamingIt_andEncodesThePromptWithoutIt() {
        List<String> warnings = new ArrayList<>();
        HostTensor context = clip.checkpoint().use(model -> PromptEncoder.encode(model, tokenizer, clip.embeddings(),
                "a embedding:nowhere dog", -1, warnings::add));
        assertEquals(List.of("warning, embedding:nowhere does not exist, ignoring"), warnings);
        assertEquals(0f, maxAbsDiff(encode("a dog"), context.toFloatArray()));
    }

    @Test
    void embeddingOfAnotherWidth_errorNamesTheFileAndBothWidths() throws Exception {
        EmbeddingFiles.safetensors(embeddingsDir.resolve("sd15.safetensors"), "emb_params", new long[] {2, 768},
                new float[2 * 768]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> encode("a embedding:sd15"));
        assertTrue(e.getMessage().contains("sd15.safetensors") && e.getMessage().contains("width 768")
                && e.getMessage().contains("32 wide"), e.getMessage());
    }
}
