package dev.bakehouse.model.clip;

import dev.bakehouse.model.clip.TextEncoderConfig.Layout;

/**
 * The checkpoint key of each weight of a text tower in its layout: the layers are built once and
 * ask here for their names, so transformers CLIP and OpenCLIP share every line of math.
 */
record TextKeys(Layout layout, String prefix) {
    private boolean hf() {
        return layout == Layout.HF_CLIP;
    }

    String tokenEmbedding() {
        return prefix + (hf() ? "embeddings.token_embedding.weight" : "token_embedding.weight");
    }

    String positionEmbedding() {
        return prefix + (hf() ? "embeddings.position_embedding.weight" : "positional_embedding");
    }

    String finalLayerNorm() {
        return prefix + (hf() ? "final_layer_norm" : "ln_final");
    }

    String textProjection() {
        return prefix + "text_projection";
    }

    /** The keys of layer {@code n}. */
    Layer layer(int n) {
        return new Layer(hf() ? prefix + "encoder.layers." + n + "." : prefix + "transformer.resblocks." + n + ".");
    }

    /** One encoder layer (transformers {@code CLIPEncoderLayer}, OpenCLIP {@code ResidualAttentionBlock}). */
    final class Layer {
        private final String key;

        private Layer(String key) {
            this.key = key;
        }

        String layerNorm1() {
            return key + (hf() ? "layer_norm1" : "ln_1");
        }

        String layerNorm2() {
            return key + (hf() ? "layer_norm2" : "ln_2");
        }

        /** transformers: {@code self_attn}, whose q/k/v are separate; OpenCLIP: {@code attn}, fused. */
        String attention() {
            return key + (hf() ? "self_attn" : "attn");
        }

        boolean fusedQkv() {
            return !hf();
        }

        String fc1() {
            return key + (hf() ? "mlp.fc1" : "mlp.c_fc");
        }

        String fc2() {
            return key + (hf() ? "mlp.fc2" : "mlp.c_proj");
        }
    }
}
