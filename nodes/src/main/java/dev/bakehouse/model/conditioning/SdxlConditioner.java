package dev.bakehouse.model.conditioning;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import dev.bakehouse.model.StableDiffusion;
import dev.bakehouse.model.clip.ClipTextModel;
import dev.bakehouse.model.clip.TextEncoderOutput;
import java.util.List;

/**
 * SDXL's conditioning (sgm {@code GeneralConditioner}, embedders in yaml order): the cross-attention
 * context is both encoders' penultimate hidden states side by side (CLIP-L first), the vector y is
 * the bigG pooled projection followed by the six size/crop numbers, each embedded with 256
 * sinusoidal values. Results land in the ids' manager.
 */
public final class SdxlConditioner {
    private final ClipTextModel te1;
    private final ClipTextModel te2;
    private final int sizeEmbeddingDim;

    public SdxlConditioner(StableDiffusion model) {
        if (!model.config().isSdxl()) {
            throw new IllegalArgumentException("SDXL conditioning needs an SDXL model (two text encoders, label_emb)");
        }
        this.te1 = model.textEncoder();
        this.te2 = model.textEncoder2();
        int projection = te2.config().projectionDim();
        int rest = model.config().unet().admInChannels() - projection;
        if (rest <= 0 || rest % SizeConditioning.COUNT != 0) {
            throw new IllegalArgumentException("SDXL adm_in_channels " + model.config().unet().admInChannels()
                    + " is not the pooled width " + projection + " plus 6 equal size embeddings");
        }
        this.sizeEmbeddingDim = rest / SizeConditioning.COUNT;
    }

    /**
     * What both encoders give for one batch of prompts.
     *
     * @param te1Hidden      CLIP-L hidden_states[N-1], no final LayerNorm (B, L, D1)
     * @param te2Penultimate bigG input of the last resblock, no ln_final (B, L, D2)
     * @param pooled         bigG ln_final at the EOT position, times text_projection (B, P)
     * @param context        cat(te1Hidden, te2Penultimate) on the channel axis (B, L, D1 + D2)
     */
    public record Text(NDArray te1Hidden, NDArray te2Penultimate, NDArray pooled, NDArray context) {}

    /**
     * @param te1Ids (B, L) ids for CLIP-L, padded with EOS 49407
     * @param te2Ids (B, L) ids for bigG, padded with 0 (open_clip's tokenizer); padding with EOS
     *               changes the context after the EOT, not the pooled vector
     */
    public Text encode(NDArray te1Ids, NDArray te2Ids) {
        if (!te1Ids.getShape().equals(te2Ids.getShape())) {
            throw new IllegalArgumentException("SDXL text ids: both encoders need ids of one shape, got "
                    + te1Ids.getShape() + " and " + te2Ids.getShape());
        }
        NDArray hidden1 = ClipTextModel.penultimate(te1.forward(te1Ids));
        TextEncoderOutput out2 = te2.forward(te2Ids);
        NDArray hidden2 = ClipTextModel.penultimate(out2);
        NDArray pooled = te2.projectedPooled(out2);
        return new Text(hidden1, hidden2, pooled, NDArrays.concat(new NDList(hidden1, hidden2), -1));
    }

    /** y = cat(pooled, size embeddings): (B, adm_in_channels), one size row per batch row. */
    public NDArray vector(NDArray pooled, List<SizeConditioning> sizes) {
        if (pooled.getShape().get(0) != sizes.size()) {
            throw new IllegalArgumentException("SDXL vector conditioning: " + pooled.getShape().get(0)
                    + " pooled rows but " + sizes.size() + " size rows");
        }
        NDArray sizeEmbedding = SizeConditioning.embed(sizes, sizeEmbeddingDim, pooled.getManager());
        return NDArrays.concat(new NDList(pooled, sizeEmbedding), 1);
    }

    /** The width of each size number's embedding (256 in SDXL). */
    public int sizeEmbeddingDim() {
        return sizeEmbeddingDim;
    }
}
