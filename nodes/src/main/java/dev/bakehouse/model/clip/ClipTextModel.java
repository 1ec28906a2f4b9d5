package dev.bakehouse.model.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import dev.bakehouse.model.nn.Constants;
import dev.bakehouse.model.nn.LayerNorm;
import dev.bakehouse.model.nn.Param;
import dev.bakehouse.model.nn.ParamStore;
import java.util.ArrayList;
import java.util.List;

/**
 * The CLIP text transformer as SD uses it, weights under {@code prefix} in the config's layout
 * (transformers {@code CLIPTextModel}: SD1's {@code cond_stage_model.transformer.text_model.}, SDXL's
 * {@code conditioner.embedders.0.transformer.text_model.}; OpenCLIP: SDXL's
 * {@code conditioner.embedders.1.model.}): causal mask, no padding mask, positions always 0..L-1
 * (the checkpoint's {@code position_ids} buffer and OpenCLIP's {@code logit_scale} are never read).
 */
public final class ClipTextModel {
    public static final String PREFIX = "cond_stage_model.transformer.text_model.";
    /** SD2.x's OpenCLIP ViT-H. */
    public static final String SD2_PREFIX = "cond_stage_model.model.";
    /** SDXL's first encoder (CLIP ViT-L, transformers layout). */
    public static final String SDXL_TE1_PREFIX = "conditioner.embedders.0.transformer.text_model.";
    /** SDXL's second encoder (OpenCLIP ViT-bigG). */
    public static final String SDXL_TE2_PREFIX = "conditioner.embedders.1.model.";

    private final TextEncoderConfig config;
    private final Constants constants;
    private final Param tokenEmbedding;
    private final Param positionEmbedding;
    private final List<ClipEncoderLayer> layers = new ArrayList<>();
    private final LayerNorm finalLayerNorm;
    private final Param textProjection;

    public ClipTextModel(ParamStore store, Constants constants, TextEncoderConfig cfg, String prefix) {
        this.config = cfg;
        this.constants = constants;
        TextKeys keys = new TextKeys(cfg.layout(), prefix);
        this.tokenEmbedding = store.declare(keys.tokenEmbedding(), cfg.vocabSize(), cfg.hiddenSize());
        this.positionEmbedding = store.declare(keys.positionEmbedding(), cfg.maxPositionEmbeddings(), cfg.hiddenSize());
        for (int i = 0; i < cfg.numHiddenLayers(); i++) {
            layers.add(new ClipEncoderLayer(store, cfg, keys.layer(i)));
        }
        this.finalLayerNorm = new LayerNorm(store, keys.finalLayerNorm(), cfg.hiddenSize(), cfg.layerNormEps());
        this.textProjection = cfg.projectionDim() > 0
                ? store.declare(keys.textProjection(), cfg.hiddenSize(), cfg.projectionDim()) : null;
    }

    public TextEncoderConfig config() {
        return config;
    }

    /** ids (B, L) integer token ids, L <= max_position_embeddings; results in the ids' manager. */
    public TextEncoderOutput forward(NDArray ids) {
        return forward(ids, tokenEmbeddings(ids));
    }

    /**
     * The token embeddings (B, L, D) of ids (B, L): the input {@link #forward(NDArray, NDArray)}
     * takes, which a caller may change first (textual-inversion vectors); in the ids' manager.
     */
    public NDArray tokenEmbeddings(NDArray ids) {
        checkLength(ids);
        NDArray longIds = ids.toType(DataType.INT64, false);
        for (long id : longIds.toLongArray()) {
            if (id < 0 || id >= config.vocabSize()) {
                throw new IllegalArgumentException("text ids: token id " + id + " outside the vocabulary of " + config.vocabSize());
            }
        }
        NDArray tokens = ai.djl.nn.core.Embedding.embedding(longIds, tokenEmbedding.value(), SparseFormat.DENSE)
                .singletonOrThrow();
        tokens.attach(ids.getManager());
        return tokens;
    }

    /**
     * The encoder run on given input embeddings (transformers' {@code inputs_embeds}): tokens (B, L, D)
     * in place of the token-embedding lookup; ids (B, L) only pick the pooled position. Results in
     * the tokens' manager.
     */
    public TextEncoderOutput forward(NDArray ids, NDArray tokens) {
        long b = ids.getShape().get(0);
        int l = checkLength(ids);
        Shape expected = new Shape(b, l, config.hiddenSize());
        if (!tokens.getShape().equals(expected)) {
            throw new IllegalArgumentException("text input embeddings: expected " + expected + " for ids "
                    + ids.getShape() + ", found " + tokens.getShape());
        }
        long[] idValues = ids.toType(DataType.INT64, false).toLongArray();
        NDArray x;
        try (NDArray positions = positionEmbedding.value().get(new NDIndex("0:" + l))) {
            x = tokens.add(positions);
        }
        NDArray mask = constants.causalMask(l);
        List<NDArray> hidden = new ArrayList<>();
        hidden.add(x);
        for (ClipEncoderLayer layer : layers) {
            x = layer.forward(x, mask);
            hidden.add(x);
        }
        NDArray last = finalLayerNorm.forward(x);
        return new TextEncoderOutput(hidden, last, pooled(last, idValues, b, l));
    }

    private int checkLength(NDArray ids) {
        int l = (int) ids.getShape().get(1);
        if (l > config.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("text ids: " + l + " tokens, the model has "
                    + config.maxPositionEmbeddings() + " positions");
        }
        return l;
    }

    /**
     * The conditioning for A1111/sd-scripts {@code clip_skip}: final_layer_norm of the output
     * {@code clipSkip - 1} layers before the last (1 = last_hidden_state).
     */
    public NDArray withClipSkip(TextEncoderOutput out, int clipSkip) {
        int n = out.hiddenStates().size() - 1;
        if (clipSkip < 1 || clipSkip > n) {
            throw new IllegalArgumentException("clip_skip must be in 1.." + n + ", got " + clipSkip);
        }
        return clipSkip == 1 ? out.lastHiddenState() : finalLayerNorm.forward(out.hiddenStates().get(n + 1 - clipSkip));
    }

    /**
     * The pooled output through {@code text_projection} (B, projection_dim): {@code pooled @ P}, P
     * stored [hidden, projection] as OpenCLIP keeps it (SDXL's pooled conditioning).
     */
    public NDArray projectedPooled(TextEncoderOutput out) {
        if (textProjection == null) {
            throw new IllegalStateException("this text encoder has no text_projection");
        }
        return out.pooled().matMul(textProjection.value());
    }

    /**
     * hidden_states[N-1] without the final LayerNorm: the input of the last layer, which SDXL takes
     * from both encoders (sgm {@code layer="hidden", layer_idx=11} for CLIP-L, {@code "penultimate"} for bigG).
     */
    public static NDArray penultimate(TextEncoderOutput out) {
        return out.hiddenStates().get(out.hiddenStates().size() - 2);
    }

    /** Each row at argmax(ids): the first EOS, since 49407 is the largest id (transformers' legacy rule). */
    private static NDArray pooled(NDArray last, long[] ids, long batch, int length) {
        NDList rows = new NDList((int) batch);
        for (int row = 0; row < batch; row++) {
            int best = 0;
            for (int j = 1; j < length; j++) {
                if (ids[row * length + j] > ids[row * length + best]) {
                    best = j;
                }
            }
            rows.add(last.get(row, best));
        }
        return NDArrays.stack(rows, 0);
    }
}
