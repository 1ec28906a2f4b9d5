package dev.bakehouse.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.testing.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code embedding:name} in ComfyUI's prompt handling ({@code sd1_clip.SDTokenizer}), against a
 * lookup that records what it was asked for. Expected rows are derived by hand from ComfyUI's
 * rules: one slot per vector, the segment's weight, groups of 8 or more split across rows.
 */
class ComfyPromptEmbeddingTest {
    private static final int A = 320; // "a</w>"
    private static final int B = 321; // "b</w>"
    private static final int WIDTH = 4;
    private static ClipTokenizer tokenizer;

    private final List<String> asked = new ArrayList<>();

    @BeforeAll
    static void load() {
        tokenizer = ClipTokenizer.load(TokenizerFiles.in(Fixtures.file("clip-tokenizer")));
    }

    /** {@code count} vectors whose values say which vector they are: vector i is (i+1, i+1, ...). */
    private static TextualInversion embedding(String file, int count) {
        float[] values = new float[count * WIDTH];
        for (int i = 0; i < values.length; i++) {
            values[i] = i / WIDTH + 1;
        }
        return new TextualInversion(Path.of(file), "emb_params", WIDTH, values);
    }

    private EmbeddingLookup lookup(Map<String, TextualInversion> files) {
        return name -> {
            asked.add(name);
            return Optional.ofNullable(files.get(name));
        };
    }

    private static String words(String word, int count) {
        return String.join(" ", Collections.nCopies(count, word));
    }

    @Test
    void embeddingWord_fillsOneSlotPerVector_inPlaceOfItsText() {
        TextualInversion x = embedding("x.safetensors", 3);
        WeightedPrompt prompt = ComfyPrompt.encode("a embedding:x b", tokenizer, lookup(Map.of("x", x)));
        TokenRows rows = prompt.rows();
        assertEquals(1, rows.rowCount());
        int p = TokenRows.EMBEDDING_PLACEHOLDER;
        assertArrayEquals(new int[] {ClipTokenizer.BOS, A, p, p, p, B, ClipTokenizer.EOS, ClipTokenizer.PAD_SD1},
                java.util.Arrays.copyOf(rows.ids()[0], 8));
        assertEquals(List.of(new TokenRows.EmbeddingSlot(0, 2, x.vector(0)), new TokenRows.EmbeddingSlot(0, 3, x.vector(1)),
                new TokenRows.EmbeddingSlot(0, 4, x.vector(2))), rows.embeddings());
        assertEquals(List.of("x"), asked);
        assertEquals(List.of(), prompt.warnings());
    }

    @Test
    void weightedEmbedding_slotsCarryTheGroupWeight() {
        TokenRows rows = ComfyPrompt.encode("a (embedding:x:1.2) (embedding:x)", tokenizer,
                lookup(Map.of("x", embedding("x.pt", 2)))).rows();
        assertArrayEquals(new double[] {1.0, 1.0, 1.2, 1.2, 1.1, 1.1, 1.0}, java.util.Arrays.copyOf(rows.weights()[0], 7));
        assertEquals(List.of(2, 3, 4, 5), rows.embeddings().stream().map(TokenRows.EmbeddingSlot::position).toList());
    }

    @Test
    void missingEmbedding_isDroppedWithComfyUiWarning_andTheRestTokenizedAsText() {
        WeightedPrompt prompt = ComfyPrompt.encode("a embedding:nope b", tokenizer, lookup(Map.of()));
        assertEquals(List.of("warning, embedding:nope does not exist, ignoring"), prompt.warnings());
        assertEquals(ComfyPrompt.encode("a b", tokenizer).rows(), prompt.rows());
    }

    @Test
    void nameEndsAtWhiteSpaceOrBracket_theRestIsText() {
        TextualInversion x = embedding("x.pt", 1);
        WeightedPrompt spaced = ComfyPrompt.encode("embedding:x  b\ta", tokenizer, lookup(Map.of("x", x)));
        WeightedPrompt bracket = ComfyPrompt.encode("embedding:x[b] a", tokenizer, lookup(Map.of("x", x)));
        assertEquals(List.of("x", "x"), asked, "a name holds no space and stops at '[' or '<'");
        int p = TokenRows.EMBEDDING_PLACEHOLDER;
        assertArrayEquals(new int[] {ClipTokenizer.BOS, p, B, A, ClipTokenizer.EOS}, java.util.Arrays.copyOf(spaced.rows().ids()[0], 5));
        List<Integer> bracketIds = bracket.tokens().stream().map(WeightedToken::id).toList();
        List<Integer> expected = new ArrayList<>(List.of(p));
        java.util.Arrays.stream(tokenizer.encode("[b] a", TextNormalization.HF_BASIC)).forEach(expected::add);
        assertEquals(expected, bracketIds);
    }

    @Test
    void nameWithTrailingComma_isTriedWithoutIt_andTheCommaStaysAsText() {
        TextualInversion x = embedding("x.pt", 2);
        WeightedPrompt prompt = ComfyPrompt.encode("embedding:x, b", tokenizer, lookup(Map.of("x", x)));
        assertEquals(List.of("x,", "x"), asked);
        int p = TokenRows.EMBEDDING_PLACEHOLDER;
        assertEquals(List.of(p, p, ClipTokenizer.COMMA, B), prompt.tokens().stream().map(WeightedToken::id).toList());
        assertEquals(List.of(), prompt.warnings());
    }

    @Test
    void missingNameWithComma_warningNamesItAsWritten() {
        WeightedPrompt prompt = ComfyPrompt.encode("a embedding:nope, b", tokenizer, lookup(Map.of()));
        assertEquals(List.of("warning, embedding:nope, does not exist, ignoring"), prompt.warnings());
        assertEquals(ComfyPrompt.encode("a , b", tokenizer).rows(), prompt.rows());
    }

    @Test
    void identifierCountsOnlyAfterWhiteSpace() {
        WeightedPrompt glued = ComfyPrompt.encode("aembedding:x", tokenizer, lookup(Map.of("x", embedding("x.pt", 1))));
        assertEquals(List.of(), asked);
        assertEquals(ComfyPrompt.encode("aembedding:x", tokenizer).rows(), glued.rows());
        ComfyPrompt.encode("a\u3000embedding:x", tokenizer, lookup(Map.of("x", embedding("x.pt", 1))));
        assertEquals(List.of("x"), asked, "Python's \\s includes the ideographic space");
    }

    @Test
    void shortEmbeddingThatDoesNotFit_movesWholeToTheNextRow() {
        TextualInversion x = embedding("x.pt", 4);
        TokenRows rows = ComfyPrompt.encode(words("a", 73) + " embedding:x", tokenizer, lookup(Map.of("x", x))).rows();
        assertEquals(2, rows.rowCount());
        assertEquals(ClipTokenizer.EOS, rows.ids()[0][74]);
        assertEquals(List.of(1, 2, 3, 4), rows.embeddings().stream().map(s -> s.row() * 100 + s.position() - 100).toList());
    }

    @Test
    void longEmbeddingAtARowEnd_isSplitToFillTheRow() {
        TextualInversion x = embedding("x.pt", 10);
        TokenRows rows = ComfyPrompt.encode(words("a", 73) + " embedding:x", tokenizer, lookup(Map.of("x", x))).rows();
        assertEquals(2, rows.rowCount());
        List<TokenRows.EmbeddingSlot> slots = rows.embeddings();
        assertEquals(10, slots.size());
        assertEquals(new TokenRows.EmbeddingSlot(0, 74, x.vector(0)), slots.get(0));
        assertEquals(new TokenRows.EmbeddingSlot(0, 75, x.vector(1)), slots.get(1));
        assertEquals(new TokenRows.EmbeddingSlot(1, 1, x.vector(2)), slots.get(2));
        assertEquals(new TokenRows.EmbeddingSlot(1, 8, x.vector(9)), slots.get(9));
        assertEquals(ClipTokenizer.EOS, rows.ids()[0][76]);
    }

    @Test
    void withoutLookup_embeddingWordIsTokenizedAsText() {
        WeightedPrompt prompt = ComfyPrompt.encode("a embedding:x", tokenizer);
        List<Integer> expected = new ArrayList<>(List.of(A));
        java.util.Arrays.stream(tokenizer.encode("embedding:x", TextNormalization.HF_BASIC)).forEach(expected::add);
        assertEquals(expected, prompt.tokens().stream().map(WeightedToken::id).toList());
        assertTrue(prompt.rows().embeddings().isEmpty());
    }
}
