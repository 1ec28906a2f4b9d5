package dev.bakehouse.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.testing.Fixtures;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Chunking and parsing rules beyond the fixture cases, derived by hand from the rules. */
class PromptChunkingTest {
    private static final int A = 320; // "a</w>"
    private static final int B = 321; // "b</w>"
    private static ClipTokenizer tokenizer;

    @BeforeAll
    static void load() {
        tokenizer = ClipTokenizer.load(TokenizerFiles.in(Fixtures.file("clip-tokenizer")));
    }

    private static String words(String word, int count) {
        return String.join(" ", java.util.Collections.nCopies(count, word));
    }

    @Test
    void a1111_fullChunkAfterRecentComma_movesWordsAfterCommaToNextChunk() {
        String prompt = words("a", 70) + ", " + words("b", 10);
        TokenRows rows = A1111Prompt.encode(prompt, tokenizer).rows();
        assertEquals(2, rows.rowCount());
        assertEquals(ClipTokenizer.COMMA, rows.ids()[0][71]);
        assertEquals(ClipTokenizer.EOS, rows.ids()[0][72]);
        assertEquals(10, count(rows.ids()[1], B));
    }

    @Test
    void a1111_commaBacktrackOff_fillsChunkToTheBrim() {
        String prompt = words("a", 70) + ", " + words("b", 10);
        TokenRows rows = A1111Prompt.encode(prompt, tokenizer, 0).rows();
        assertEquals(4, count(rows.ids()[0], B));
        assertEquals(6, count(rows.ids()[1], B));
    }

    @Test
    void a1111_breakKeyword_needsWordBoundaries() {
        assertEquals(List.of(new PromptSegment("a", 1.0), PromptSegment.BREAK, new PromptSegment("", 1.0),
                PromptSegment.BREAK, new PromptSegment("b", 1.0)), A1111Prompt.parse("a BREAK BREAK b"));
        assertEquals(List.of(new PromptSegment("aBREAK b", 1.0)), A1111Prompt.parse("aBREAK b"));
        assertEquals(3, A1111Prompt.encode("a BREAK BREAK b", tokenizer).rows().rowCount());
    }

    @Test
    void a1111_weightWithSpaces_isExplicitWeight() {
        assertEquals(List.of(new PromptSegment(" word ", 1.5)), A1111Prompt.parse("( word : 1.5 )"));
    }

    @Test
    void a1111_malformedWeight_namesTheWeight() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> A1111Prompt.parse("(a:1.2.3)"));
        assertTrue(e.getMessage().contains("'1.2.3'"), e.getMessage());
    }

    @Test
    void comfy_smallGroupThatDoesNotFit_movesWholeToNextRow() {
        TokenRows rows = ComfyPrompt.encode(words("a", 70) + " (" + words("b", 7) + ")", tokenizer).rows();
        assertEquals(2, rows.rowCount());
        assertEquals(0, count(rows.ids()[0], B));
        assertEquals(7, count(rows.ids()[1], B));
        assertEquals(1.1, rows.weights()[1][1]);
    }

    @Test
    void comfy_groupOfEightOrMore_isSplitToFillTheRow() {
        TokenRows rows = ComfyPrompt.encode(words("a", 70) + " (" + words("b", 8) + ")", tokenizer).rows();
        assertEquals(5, count(rows.ids()[0], B));
        assertEquals(ClipTokenizer.EOS, rows.ids()[0][76]);
        assertEquals(3, count(rows.ids()[1], B));
    }

    @Test
    void comfy_embeddingWords_areSeparateGroups() {
        // As separate groups the 3-token word moves to row 2 instead of filling row 1.
        String prompt = words("a", 74) + " embedding:b";
        TokenRows rows = ComfyPrompt.encode(prompt, tokenizer).rows();
        assertEquals(2, rows.rowCount());
        assertEquals(74, count(rows.ids()[0], A));
        int[] expectedTail = tokenizer.encode("embedding:b", TextNormalization.HF_BASIC);
        assertArrayEquals(expectedTail, Arrays.copyOfRange(rows.ids()[1], 1, 1 + expectedTail.length));
    }

    @Test
    void kohya_rejectsOtherLengths() {
        assertThrows(IllegalArgumentException.class, () -> KohyaRows.rows(new int[] {A}, 100));
    }

    private static int count(int[] row, int id) {
        return (int) Arrays.stream(row).filter(x -> x == id).count();
    }
}
