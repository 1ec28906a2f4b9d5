package dev.bakehouse.node.sd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.bakehouse.model.StableDiffusion;
import dev.bakehouse.model.clip.ClipTextModel;
import dev.bakehouse.model.clip.TextEncoderOutput;
import dev.bakehouse.model.tokenizer.ClipTokenizer;
import dev.bakehouse.model.tokenizer.ComfyPrompt;
import dev.bakehouse.model.tokenizer.EmbeddingLookup;
import dev.bakehouse.model.tokenizer.TokenRows;
import dev.bakehouse.model.tokenizer.WeightedPrompt;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * ComfyUI's SD1 prompt encoding ({@code SDClipModel.encode_token_weights}): the prompt's 77-wide
 * rows ({@link ComfyPrompt}) go through the text encoder in one batch, each row's hidden states
 * are taken at {@code stop_at_clip_layer} (final layer norm re-applied for earlier layers), and
 * the rows are concatenated along the token axis: (1, 77·rows, width).
 *
 * <p>Textual-inversion vectors replace the token embeddings of their slots before the position
 * embeddings are added ({@code SDClipModel.process_tokens}).
 *
 * <p>Emphasis: when any token's weight is not 1, an empty row (BOS, then EOS padding) is encoded
 * in the same batch and every weighted token becomes {@code (z - z_empty) * w + z_empty}, where
 * {@code z_empty} is the empty row's state at the same position. Tokens of weight 1 are left as
 * they are. Embedding slots are weighted the same way.
 */
final class PromptEncoder {
    private PromptEncoder() {}

    /**
     * Runs in a child manager of the model's; only host values leave.
     *
     * @param warnings receives each warning of the prompt (an embedding no file has)
     */
    static HostTensor encode(StableDiffusion model, ClipTokenizer tokenizer, Embeddings embeddings, String text,
            int stopAtLayer, Consumer<String> warnings) {
        ClipTextModel encoder = model.textEncoder();
        int layers = encoder.config().numHiddenLayers();
        if (stopAtLayer >= 0 || -stopAtLayer > layers) {
            throw new IllegalArgumentException("stop_at_clip_layer " + stopAtLayer + " is outside -" + layers
                    + "..-1 (this text encoder has " + layers + " layers)");
        }
        TokenRows rows = tokenize(text, tokenizer, embeddings, encoder, warnings);
        try (NDManager run = model.manager().newSubManager()) {
            return encodeRows(encoder, rows, run, out -> encoder.withClipSkip(out, -stopAtLayer)).context();
        }
    }

    /** SDXL's encoded prompt: both encoders' rows side by side, and bigG's pooled projection of the first row. */
    record SdxlPrompt(HostTensor context, HostTensor pooled) {}

    /**
     * ComfyUI's SDXL prompt ({@code SDXLClipModel}): CLIP-L encodes {@code textL} (padded with EOS),
     * bigG encodes {@code textG} (padded with 0), each row taken at the penultimate layer without
     * the final LayerNorm and weighted as in SD1; the shorter prompt gets empty rows until both
     * have as many; the contexts are joined on the channel axis (1, 77·rows, 768 + 1280); the pooled
     * output is bigG's first row through {@code text_projection}.
     */
    static SdxlPrompt encodeSdxl(StableDiffusion model, ClipTokenizer tokenizer, Embeddings embeddings, String textG,
            String textL, Consumer<String> warnings) {
        ClipTextModel te1 = model.textEncoder();
        ClipTextModel te2 = model.textEncoder2();
        TokenRows rowsL = tokenize(textL, tokenizer, embeddings, te1, warnings);
        TokenRows rowsG = tokenize(textG, tokenizer, embeddings, te2, warnings);
        int rows = Math.max(rowsL.rowCount(), rowsG.rowCount());
        try (NDManager run = model.manager().newSubManager()) {
            Encoded l = encodeRows(te1, withEmptyRows(rowsL, rows, te1.config().padTokenId()), run, ClipTextModel::penultimate);
            Encoded g = encodeRows(te2, withEmptyRows(rowsG, rows, te2.config().padTokenId()), run, ClipTextModel::penultimate);
            NDArray context = NDArrays.concat(new NDList(l.context().toNDArray(run), g.context().toNDArray(run)), -1);
            NDArray pooled = te2.projectedPooled(g.output()).get("0:1");
            return new SdxlPrompt(HostTensor.of(context), HostTensor.of(pooled));
        }
    }

    private static TokenRows tokenize(String text, ClipTokenizer tokenizer, Embeddings embeddings, ClipTextModel encoder,
            Consumer<String> warnings) {
        EmbeddingLookup lookup = embeddings.forWidth(encoder.config().hiddenSize());
        WeightedPrompt prompt = ComfyPrompt.encode(text, tokenizer, lookup);
        prompt.warnings().forEach(warnings);
        return prompt.rows();
    }

    /**
     * The rows padded with the encoder's own pad id after each row's first EOS (the tokenizer pads
     * with EOS, open_clip with 0), then {@code count} rows in all by appending empty rows (BOS, EOS,
     * padding), as ComfyUI evens out SDXL's two prompts.
     */
    private static TokenRows withEmptyRows(TokenRows rows, int count, int padId) {
        int width = ClipTokenizer.ROW_WIDTH;
        int[][] ids = new int[count][];
        double[][] weights = new double[count][];
        for (int r = 0; r < count; r++) {
            if (r < rows.rowCount()) {
                ids[r] = rows.ids()[r].clone();
                weights[r] = rows.weights()[r];
            } else {
                ids[r] = new int[width];
                ids[r][0] = ClipTokenizer.BOS;
                ids[r][1] = ClipTokenizer.EOS;
                Arrays.fill(ids[r], 2, width, ClipTokenizer.EOS);
                weights[r] = new double[width];
                Arrays.fill(weights[r], 1.0);
            }
            int firstEos = 0;
            while (firstEos < width && ids[r][firstEos] != ClipTokenizer.EOS) {
                firstEos++;
            }
            Arrays.fill(ids[r], Math.min(firstEos + 1, width), width, padId);
        }
        return new TokenRows(ids, weights, rows.embeddings());
    }

    /** One encoder's weighted context (1, 77·rows, width) and its raw output (prompt rows first). */
    private record Encoded(HostTensor context, TextEncoderOutput output) {}

    /**
     * Runs the prompt's rows (and, when any weight is not 1, an empty row after them) through one
     * encoder in one batch, takes {@code layer} of its output and applies the emphasis weights.
     */
    private static Encoded encodeRows(ClipTextModel encoder, TokenRows rows, NDManager run,
            Function<TextEncoderOutput, NDArray> layer) {
        boolean weighted = Arrays.stream(rows.weights()).flatMapToDouble(Arrays::stream).anyMatch(w -> w != 1.0);
        int width = ClipTokenizer.ROW_WIDTH;
        int promptRows = rows.rowCount();
        int pad = encoder.config().padTokenId();
        long[] ids = Arrays.copyOf(rows.flatIds(), (promptRows + (weighted ? 1 : 0)) * width);
        if (weighted) {
            Arrays.fill(ids, promptRows * width, ids.length, pad);
            ids[promptRows * width] = ClipTokenizer.BOS;
            ids[promptRows * width + 1] = ClipTokenizer.EOS;
        }
        NDArray idArray = run.create(ids, new Shape(ids.length / width, width));
        NDArray tokens = spliced(encoder.tokenEmbeddings(idArray), rows.embeddings());
        TextEncoderOutput out = encoder.forward(idArray, tokens);
        NDArray z = layer.apply(out);
        long hidden = z.getShape().get(2);
        float[] states = z.toFloatArray();
        float[] context = Arrays.copyOf(states, (int) (promptRows * width * hidden));
        if (weighted) {
            applyWeights(rows, states, context, (int) hidden);
        }
        return new Encoded(new HostTensor(new long[] {1, (long) promptRows * width, hidden}, context), out);
    }

    /** Token embeddings (R, 77, D) with each embedding slot's vector in place; same manager and dtype. */
    private static NDArray spliced(NDArray tokens, List<TokenRows.EmbeddingSlot> slots) {
        if (slots.isEmpty()) {
            return tokens;
        }
        int d = (int) tokens.getShape().get(2);
        float[] values = tokens.toFloatArray();
        for (TokenRows.EmbeddingSlot slot : slots) {
            float[] vector = slot.vector();
            if (vector.length != d) {
                throw new IllegalArgumentException("embedding vector of width " + vector.length + " at row "
                        + slot.row() + " slot " + slot.position() + ", the text encoder is " + d + " wide");
            }
            System.arraycopy(vector, 0, values, (slot.row() * ClipTokenizer.ROW_WIDTH + slot.position()) * d, d);
        }
        return tokens.getManager().create(values, tokens.getShape()).toType(tokens.getDataType(), false);
    }

    /** {@code (z - z_empty) * w + z_empty} for every slot whose weight is not 1; the empty row is last. */
    private static void applyWeights(TokenRows rows, float[] states, float[] context, int hidden) {
        int width = ClipTokenizer.ROW_WIDTH;
        int empty = rows.rowCount() * width * hidden;
        for (int r = 0; r < rows.rowCount(); r++) {
            for (int t = 0; t < width; t++) {
                double weight = rows.weights()[r][t];
                if (weight == 1.0) {
                    continue;
                }
                float w = (float) weight; // torch multiplies a float32 tensor by the weight in float32
                int at = (r * width + t) * hidden;
                int emptyAt = empty + t * hidden;
                for (int c = 0; c < hidden; c++) {
                    float e = states[emptyAt + c];
                    context[at + c] = (states[at + c] - e) * w + e;
                }
            }
        }
    }
}
