package dev.bakehouse.train.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.bakehouse.model.clip.ClipTextModel;
import dev.bakehouse.model.clip.TextEncoderOutput;
import dev.bakehouse.model.nn.OwnedArrays;
import dev.bakehouse.model.tokenizer.ClipTokenizer;
import dev.bakehouse.model.tokenizer.TokenRows;
import java.util.List;

/**
 * kohya's SD1 {@code SdTextEncodingStrategy.encode_tokens}: ids (B, n, 77), n rows of BOS + 75
 * tokens + EOS per prompt, go through the text encoder as B*n sequences (clip_skip per row); with
 * n > 1 the context keeps the first row's BOS state, the 75 middle states of every row and the
 * last row's final state: (B, 75 n + 2, D). With n = 1 the (B, 77, D) states are the context.
 * (SD1 only: v2/SDXL tokenizers pad with a different id and kohya rewrites pads there.)
 */
public final class ChunkedTextEncoding {
    private static final int ROW = ClipTokenizer.ROW_WIDTH;
    private static final int MIDDLE = ClipTokenizer.CHUNK_TOKENS;

    private ChunkedTextEncoding() {}

    /** The batch's rows as (B, n, 77) int64 ids in {@code manager}; every prompt must have the same row count. */
    public static NDArray ids(NDManager manager, List<TokenRows> batch) {
        if (batch.isEmpty()) {
            throw new IllegalArgumentException("text ids: empty batch");
        }
        int rows = batch.get(0).rowCount();
        long[] flat = new long[batch.size() * rows * ROW];
        for (int b = 0; b < batch.size(); b++) {
            TokenRows prompt = batch.get(b);
            if (prompt.rowCount() != rows) {
                throw new IllegalArgumentException("text ids: prompt " + b + " has " + prompt.rowCount() + " rows, prompt 0 has "
                        + rows + " (tokenize the whole batch with one max_token_length)");
            }
            System.arraycopy(prompt.flatIds(), 0, flat, b * rows * ROW, rows * ROW);
        }
        // libtorch's own copy: when the embedding table trains (toy pretraining), backward reads the ids
        return OwnedArrays.of(manager, flat, new Shape(batch.size(), rows, ROW));
    }

    /** The training context (B, 75 n + 2, D), or (B, 77, D) for one row; in the ids' manager. */
    public static NDArray encode(ClipTextModel textModel, NDArray ids, int clipSkip) {
        NDArray raw = encodeRows(textModel, ids, clipSkip);
        int rows = (int) ids.getShape().get(1);
        if (rows == 1) {
            return raw;
        }
        try (raw) {
            return assemble(raw, rows);
        }
    }

    /** Every row's states side by side, (B, 77 n, D), before the assembly; in the ids' manager. */
    public static NDArray encodeRows(ClipTextModel textModel, NDArray ids, int clipSkip) {
        Shape shape = ids.getShape();
        if (shape.dimension() != 3 || shape.get(2) != ROW) {
            throw new IllegalArgumentException("text ids: expected (batch, rows, " + ROW + "), found " + shape);
        }
        long batch = shape.get(0);
        long rows = shape.get(1);
        try (NDArray sequences = ids.reshape(batch * rows, ROW)) {
            TextEncoderOutput out = textModel.forward(sequences);
            NDArray states = textModel.withClipSkip(out, clipSkip);
            long width = states.getShape().get(2);
            return states.reshape(batch, rows * ROW, width);
        }
    }

    /** kohya's v1 reassembly of (B, 77 n, D) row states: first BOS, each row's 75 middle states, last state. */
    public static NDArray assemble(NDArray rowStates, int rows) {
        long length = rowStates.getShape().get(1);
        if (length != (long) rows * ROW) {
            throw new IllegalArgumentException("row states: expected " + rows * ROW + " positions for " + rows + " rows, found "
                    + length);
        }
        NDList parts = new NDList(rows + 2);
        parts.add(rowStates.get(new NDIndex(":, 0:1")));
        for (int r = 0; r < rows; r++) {
            int start = r * ROW + 1;
            parts.add(rowStates.get(new NDIndex(":, " + start + ":" + (start + MIDDLE))));
        }
        parts.add(rowStates.get(new NDIndex(":, " + (length - 1) + ":" + length)));
        try (parts) {
            return NDArrays.concat(parts, 1);
        }
    }
}
