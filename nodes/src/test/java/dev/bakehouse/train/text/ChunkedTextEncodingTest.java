package dev.bakehouse.train.text;

import static dev.bakehouse.train.Tolerance.assertMaxRel;
import static dev.bakehouse.train.Tolerance.longs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.bakehouse.model.FixtureTensors;
import dev.bakehouse.model.StableDiffusion;
import dev.bakehouse.model.TinyFixtureModel;
import dev.bakehouse.model.tokenizer.ClipTokenizer;
import dev.bakehouse.model.tokenizer.KohyaRows;
import dev.bakehouse.model.tokenizer.TokenRows;
import dev.bakehouse.testing.SharedResources;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** kohya's chunked long-prompt conditioning and clip_skip on the tiny model, against train-options (no LoRA). */
class ChunkedTextEncodingTest {
    private static final double CONTEXT_TOL = 1e-4;
    private static StableDiffusion model;
    private static FixtureTensors cases;
    private static FixtureTensors options;

    @BeforeAll
    static void load() {
        model = TinyFixtureModel.load("tiny.safetensors");
        cases = new FixtureTensors("sd15-tiny/train-cases.safetensors");
        options = new FixtureTensors("sd15-tiny/train-options.safetensors");
    }

    @AfterAll
    static void close() throws Exception {
        SharedResources.close(model, cases, options);
    }

    @ParameterizedTest(name = "long{0}")
    @ValueSource(ints = {150, 225})
    void longPrompt_rowsRawStatesAndContextMatch(int maxTokenLength) {
        String name = "long" + maxTokenLength;
        try (NDManager step = model.manager().newSubManager()) {
            List<TokenRows> batch = rows(name, maxTokenLength);
            NDArray ids = ChunkedTextEncoding.ids(step, batch);
            assertArrayEquals(longs(options, name + ".ids"), ids.toLongArray(), name + ".ids (exact)");
            int clipSkip = new TextOptions(OptionalInt.of(maxTokenLength), OptionalInt.empty()).clipSkipOrLast();
            assertMaxRel(options, name + ".hidden_raw", ChunkedTextEncoding.encodeRows(model.textEncoder(), ids, clipSkip),
                    CONTEXT_TOL);
            assertMaxRel(options, name + ".context", ChunkedTextEncoding.encode(model.textEncoder(), ids, clipSkip), CONTEXT_TOL);
        }
    }

    @Test
    void long225ClipSkip2_appliesFinalLayerNormPerRowBeforeAssembly() {
        try (NDManager step = model.manager().newSubManager()) {
            NDArray ids = ChunkedTextEncoding.ids(step, rows("long225", 225));
            assertMaxRel(options, "long225.context_clip_skip2", ChunkedTextEncoding.encode(model.textEncoder(), ids, 2), CONTEXT_TOL);
        }
    }

    @Test
    void oneRow_isThePlainOrClipSkippedEncoding() {
        try (NDManager step = model.manager().newSubManager()) {
            NDArray textIds = cases.array(step, "text_ids");
            NDArray ids = textIds.reshape(2, 1, ClipTokenizer.ROW_WIDTH);
            assertMaxRel(cases, "context_plain", ChunkedTextEncoding.encode(model.textEncoder(), ids, 1), CONTEXT_TOL);
            assertMaxRel(options, "context_clip_skip2", ChunkedTextEncoding.encode(model.textEncoder(), ids, 2), CONTEXT_TOL);
        }
    }

    @Test
    void mixedRowCountsOrBadOptions_areRejected() {
        int[][] one = {new int[ClipTokenizer.ROW_WIDTH]};
        int[][] two = {new int[ClipTokenizer.ROW_WIDTH], new int[ClipTokenizer.ROW_WIDTH]};
        try (NDManager step = model.manager().newSubManager()) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> ChunkedTextEncoding.ids(step, List.of(TokenRows.unweighted(one), TokenRows.unweighted(two))));
            assertEquals("text ids: prompt 1 has 2 rows, prompt 0 has 1 (tokenize the whole batch with one max_token_length)",
                    e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new TextOptions(OptionalInt.of(100), OptionalInt.empty()));
        assertThrows(IllegalArgumentException.class, () -> new TextOptions(OptionalInt.empty(), OptionalInt.of(0)));
    }

    /**
     * Each prompt's tokens recovered from the fixture's flat tokenizer output (BOS, tokens, EOS
     * padding), then cut into rows by the project's tokenizer code, as a trainer does from captions.
     */
    private static List<TokenRows> rows(String name, int maxTokenLength) {
        long[] flat = longs(options, name + ".ids_flat");
        int width = maxTokenLength + 2;
        List<TokenRows> batch = new ArrayList<>();
        for (int b = 0; b < flat.length / width; b++) {
            long[] row = Arrays.copyOfRange(flat, b * width, (b + 1) * width);
            assertEquals(ClipTokenizer.BOS, row[0]);
            int end = 1;
            while (row[end] != ClipTokenizer.EOS) {
                end++;
            }
            int[] tokens = Arrays.stream(row, 1, end).mapToInt(v -> (int) v).toArray();
            batch.add(KohyaRows.rows(tokens, maxTokenLength));
        }
        return batch;
    }
}
