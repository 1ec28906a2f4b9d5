package dev.bakehouse.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bakehouse.testing.Fixtures;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case of {@code clip-tokenizer/cases.json}: plain cases (cleaning, split, BPE, ids, decode,
 * kohya rows, HF-mode variants) and emphasis cases (A1111 and ComfyUI segments, token weights,
 * rows, row weights; weights compared as exact doubles). No case is skipped, the two
 * {@code exotic} ones included. Every case runs twice: with the fixture's {@code vocab.json} +
 * {@code merges.txt}, and with the copy bundled in the jar (merges only, vocabulary derived).
 */
class ClipTokenizerCasesTest {
    private static JsonNode cases;
    private static ClipTokenizer tokenizer;
    private static ClipTokenizer bundled;

    @BeforeAll
    static void load() throws IOException {
        cases = new ObjectMapper().readTree(Fixtures.file("clip-tokenizer/cases.json").toFile());
        tokenizer = ClipTokenizer.load(TokenizerFiles.in(Fixtures.file("clip-tokenizer")));
        bundled = ClipTokenizer.load(BundledTokenizer.files());
    }

    @Test
    void constants_matchFixture() {
        JsonNode c = cases.get("constants");
        assertEquals(c.get("bos_id").asInt(), ClipTokenizer.BOS);
        assertEquals(c.get("eos_id").asInt(), ClipTokenizer.EOS);
        assertEquals(c.get("pad_id_sd1").asInt(), ClipTokenizer.PAD_SD1);
        assertEquals(c.get("vocab_size").asInt(), tokenizer.vocabSize());
        assertEquals(c.get("vocab_size").asInt(), bundled.vocabSize());
        assertEquals(c.get("n_merges").asInt(), ClipBpe.MERGE_COUNT);
        assertEquals(c.get("row_width").asInt(), ClipTokenizer.ROW_WIDTH);
        assertEquals(c.get("chunk_tokens").asInt(), ClipTokenizer.CHUNK_TOKENS);
        assertEquals(c.get("comma_id").asInt(), ClipTokenizer.COMMA);
    }

    @TestFactory
    Stream<DynamicTest> plainCases() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : cases.get("plain_cases")) {
            tests.add(DynamicTest.dynamicTest(c.get("id").asText(), () -> checkPlain(c, tokenizer)));
            tests.add(DynamicTest.dynamicTest(c.get("id").asText() + " bundled", () -> checkPlain(c, bundled)));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> emphasisCases() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : cases.get("emphasis_cases")) {
            String prompt = c.get("prompt").asText();
            tests.add(DynamicTest.dynamicTest(c.get("id").asText() + " a1111",
                    () -> checkWeighted(c.get("a1111"), A1111Prompt.encode(prompt, tokenizer))));
            tests.add(DynamicTest.dynamicTest(c.get("id").asText() + " comfyui",
                    () -> checkWeighted(c.get("comfyui"), ComfyPrompt.encode(prompt, tokenizer))));
            tests.add(DynamicTest.dynamicTest(c.get("id").asText() + " a1111 bundled",
                    () -> checkWeighted(c.get("a1111"), A1111Prompt.encode(prompt, bundled))));
            tests.add(DynamicTest.dynamicTest(c.get("id").asText() + " comfyui bundled",
                    () -> checkWeighted(c.get("comfyui"), ComfyPrompt.encode(prompt, bundled))));
        }
        return tests.stream();
    }

    private static void checkPlain(JsonNode c, ClipTokenizer tokenizer) {
        String prompt = c.get("prompt").asText();
        String id = c.get("id").asText();
        assertEquals(c.get("cleaned").asText(), tokenizer.clean(prompt, TextNormalization.OPENAI), id + " cleaned");
        assertEquals(strings(c.get("pretokens")), tokenizer.preTokens(prompt, TextNormalization.OPENAI), id + " pretokens");
        int[] ids = tokenizer.encode(prompt);
        assertEquals(strings(c.get("bpe_tokens")), tokenizer.tokenStrings(ids), id + " bpe_tokens");
        assertArrayEquals(ints(c.get("ids")), ids, id + " ids");
        assertEquals(c.get("decoded").asText(), tokenizer.decode(ids), id + " decoded");
        for (int max : new int[] {75, 150, 225}) {
            TokenRows rows = KohyaRows.rows(ids, max);
            assertArrayEquals(rows(c.get("rows_max" + max)), rows.ids(), id + " rows_max" + max);
        }
        JsonNode variants = c.get("variants");
        for (TextNormalization mode : new TextNormalization[] {TextNormalization.HF_FTFY, TextNormalization.HF_BASIC}) {
            JsonNode v = variants == null ? null : variants.get(mode.name().toLowerCase(java.util.Locale.ROOT));
            String cleaned = v == null ? c.get("cleaned").asText() : v.get("cleaned").asText();
            int[] expected = v == null ? ints(c.get("ids")) : ints(v.get("ids"));
            assertEquals(cleaned, tokenizer.clean(prompt, mode), id + " " + mode + " cleaned");
            assertArrayEquals(expected, tokenizer.encode(prompt, mode), id + " " + mode + " ids");
        }
    }

    private static void checkWeighted(JsonNode expected, WeightedPrompt actual) {
        List<PromptSegment> segments = new ArrayList<>();
        for (JsonNode s : expected.get("segments")) {
            segments.add(new PromptSegment(s.get(0).asText(), s.get(1).asDouble()));
        }
        assertEquals(segments, actual.segments(), "segments");
        List<WeightedToken> tokens = new ArrayList<>();
        for (JsonNode t : expected.get("token_weights")) {
            tokens.add(new WeightedToken(t.get(0).asInt(), t.get(1).asDouble()));
        }
        assertEquals(tokens, actual.tokens(), "token_weights");
        assertArrayEquals(rows(expected.get("rows")), actual.rows().ids(), "rows");
        JsonNode rowWeights = expected.get("row_weights");
        assertEquals(rowWeights.size(), actual.rows().rowCount(), "row count");
        for (int r = 0; r < rowWeights.size(); r++) {
            double[] want = new double[rowWeights.get(r).size()];
            for (int k = 0; k < want.length; k++) {
                want[k] = rowWeights.get(r).get(k).asDouble();
            }
            assertArrayEquals(want, actual.rows().weights()[r], 0.0, "row_weights " + r);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    private static int[][] rows(JsonNode array) {
        int[][] out = new int[array.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = ints(array.get(i));
        }
        return out;
    }
}
