package dev.bakehouse.node.sd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.bakehouse.model.StableDiffusion;
import dev.bakehouse.model.clip.ClipTextModel;
import dev.bakehouse.model.tokenizer.ClipTokenizer;
import dev.bakehouse.model.tokenizer.ComfyPrompt;
import dev.bakehouse.model.tokenizer.EmbeddingLookup;
import dev.bakehouse.model.tokenizer.TokenRows;
import dev.bakehouse.model.tokenizer.WeightedPrompt;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

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
        EmbeddingLookup lookup = embeddings.forWidth(encoder.config().hiddenSize());
        WeightedPrompt prompt = ComfyPrompt.encode(text, tokenizer, lookup);
        prompt.warnings().forEach(warnings);
        TokenRows rows = prompt.rows();
        boolean weighted = Arrays.stream(rows.weights()).flatMapToDouble(Arrays::stream).anyMatch(w -> w != 1.0);
        int width = ClipTokenizer.ROW_WIDTH;
        int promptRows = rows.rowCount();
        long[] ids = Arrays.copyOf(rows.flatIds(), (promptRows + (weighted ? 1 : 0)) * width);
        if (weighted) {
            Arrays.fill(ids, promptRows * width, ids.length, ClipTokenizer.PAD_SD1);
            ids[promptRows * width] = ClipTokenizer.BOS;
            ids[promptRows * width + 1] = ClipTokenizer.EOS;
        }
        float[] states;
        long hidden;
        try (NDManager run = model.manager().newSubManager()) {
            NDArray idArray = run.create(ids, new Shape(ids.length / width, width));
            NDArray tokens = spliced(encoder.tokenEmbeddings(idArray), rows.embeddings());
            NDArray z = encoder.withClipSkip(encoder.forward(idArray, tokens), -stopAtLayer);
            hidden = z.getShape().get(2);
            states = z.toFloatArray();
        }
        float[] context = Arrays.copyOf(states, (int) (promptRows * width * hidden));
        if (weighted) {
            applyWeights(rows, states, context, (int) hidden);
        }
        return new HostTensor(new long[] {1, (long) promptRows * width, hidden}, context);
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
