package dev.bakehouse.model.clip;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * What the text encoder returns (arrays in the caller's manager).
 *
 * @param hiddenStates    N+1 entries (B, L, D): the embeddings, then each layer's output, no final norm
 * @param lastHiddenState final_layer_norm(hiddenStates[N])
 * @param pooled          (B, D): lastHiddenState at each row's first EOS (argmax of the ids)
 */
public record TextEncoderOutput(List<NDArray> hiddenStates, NDArray lastHiddenState, NDArray pooled) {
    public TextEncoderOutput {
        hiddenStates = List.copyOf(hiddenStates);
    }
}
