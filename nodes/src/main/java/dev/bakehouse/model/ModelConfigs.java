package dev.bakehouse.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bakehouse.model.clip.ClipTextModel;
import dev.bakehouse.model.clip.TextEncoderConfig;
import dev.bakehouse.model.unet.UNet2DCondition;
import dev.bakehouse.model.unet.UNetConfig;
import dev.bakehouse.model.vae.AutoencoderKL;
import dev.bakehouse.model.vae.VaeConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a {@link ModelConfig} comes from besides the presets: a JSON file with the LDM yaml names
 * (the layout of {@code sd15-tiny/config.json}), or the weight shapes of an SD1.x checkpoint.
 */
public final class ModelConfigs {
    private static final String U = UNet2DCondition.PREFIX;
    private static final String T = ClipTextModel.PREFIX;
    private static final String V = AutoencoderKL.PREFIX;

    private ModelConfigs() {}

    /** Reads {@code unet}, {@code text}, {@code vae} and {@code scale_factor}; norm eps default to SD's. */
    public static ModelConfig fromLdmJson(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        Json json = new Json(file, root);
        JsonNode u = json.section("unet");
        JsonNode t = json.section("text");
        JsonNode v = json.section("vae");
        UNetConfig unet = new UNetConfig(json.integer(u, "unet", "in_channels"), json.integer(u, "unet", "out_channels"),
                json.integer(u, "unet", "model_channels"), json.ints(u, "unet", "channel_mult"),
                json.integer(u, "unet", "num_res_blocks"), json.ints(u, "unet", "attention_resolutions"),
                u.path("num_heads").asInt(-1), u.path("num_head_channels").asInt(-1),
                json.integer(u, "unet", "transformer_depth"), json.integer(u, "unet", "context_dim"),
                u.path("use_linear_in_transformer").asBoolean(false), u.path("norm_num_groups").asInt(32),
                u.path("resblock_norm_eps").asDouble(1e-5), u.path("transformer_groupnorm_eps").asDouble(1e-6),
                u.path("layernorm_eps").asDouble(1e-5));
        TextEncoderConfig text = new TextEncoderConfig(json.integer(t, "text", "vocab_size"),
                json.integer(t, "text", "hidden_size"), json.integer(t, "text", "num_hidden_layers"),
                json.integer(t, "text", "num_attention_heads"), json.integer(t, "text", "intermediate_size"),
                json.integer(t, "text", "max_position_embeddings"), t.path("hidden_act").asText("quick_gelu"),
                t.path("layer_norm_eps").asDouble(1e-5));
        if (!v.path("attn_resolutions").isMissingNode() && !v.path("attn_resolutions").isEmpty()) {
            throw new IOException(file + ": vae.attn_resolutions must be empty (SD's VAE), got " + v.path("attn_resolutions"));
        }
        VaeConfig vae = new VaeConfig(v.path("in_channels").asInt(3), v.path("out_ch").asInt(3), json.integer(v, "vae", "ch"),
                json.ints(v, "vae", "ch_mult"), json.integer(v, "vae", "num_res_blocks"), json.integer(v, "vae", "z_channels"),
                json.integer(v, "vae", "embed_dim"), v.path("double_z").asBoolean(true), v.path("norm_num_groups").asInt(32),
                v.path("norm_eps").asDouble(1e-6), root.path("scale_factor").asDouble(0.18215));
        return new ModelConfig(unet, text, vae);
    }

    /**
     * Derives the configuration of an SD1.x single-file checkpoint from its weight shapes. The head
     * count is not visible in shapes: it is SD1's 8 heads for a 768-wide context (CLIP ViT-L, 64-wide
     * text heads); any other width needs an explicit config file.
     */
    public static ModelConfig inferSd1(WeightSource w) {
        return new ModelConfig(inferUnet(w), inferText(w), inferVae(w));
    }

    private static UNetConfig inferUnet(WeightSource w) {
        long[] convIn = shape(w, U + "input_blocks.0.0.weight");
        int mc = (int) convIn[0];
        int blocks = count(w, U + "input_blocks.", ".");
        int levels = 1 + (int) w.names().stream().filter(k -> k.startsWith(U + "input_blocks.") && k.endsWith(".0.op.weight")).count();
        int nrb = (blocks - 1 - (levels - 1)) / levels;
        List<Integer> mult = new ArrayList<>();
        List<Integer> attention = new ArrayList<>();
        String firstAttention = null;
        for (int level = 0; level < levels; level++) {
            String block = U + "input_blocks." + (1 + level * (nrb + 1));
            mult.add((int) (shape(w, block + ".0.out_layers.3.weight")[0] / mc));
            if (w.names().contains(block + ".1.proj_in.weight")) {
                attention.add(0, 1 << level); // LDM yaml order: largest factor first
                firstAttention = firstAttention == null ? block + ".1" : firstAttention;
            }
        }
        if (firstAttention == null) {
            throw new IllegalArgumentException(w.description() + ": no SpatialTransformer found (" + U
                    + "input_blocks.N.1.proj_in.weight); not an SD1.x UNet");
        }
        int contextDim = (int) shape(w, firstAttention + ".transformer_blocks.0.attn2.to_k.weight")[1];
        if (contextDim != 768) {
            throw new IllegalArgumentException(w.description() + ": context_dim " + contextDim
                    + " is not SD1's 768, so the head count cannot be inferred; pass a config file");
        }
        boolean linear = shape(w, firstAttention + ".proj_in.weight").length == 2;
        int depth = count(w, firstAttention + ".transformer_blocks.", ".");
        return new UNetConfig((int) convIn[1], (int) shape(w, U + "out.2.weight")[0], mc, mult, nrb, attention,
                8, -1, depth, contextDim, linear, 32, 1e-5, 1e-6, 1e-5);
    }

    private static TextEncoderConfig inferText(WeightSource w) {
        long[] tokens = shape(w, T + "embeddings.token_embedding.weight");
        int hidden = (int) tokens[1];
        if (hidden != 768) {
            throw new IllegalArgumentException(w.description() + ": text hidden size " + hidden
                    + " is not CLIP ViT-L's 768, so the head count cannot be inferred; pass a config file");
        }
        return new TextEncoderConfig((int) tokens[0], hidden, count(w, T + "encoder.layers.", "."), hidden / 64,
                (int) shape(w, T + "encoder.layers.0.mlp.fc1.weight")[0],
                (int) shape(w, T + "embeddings.position_embedding.weight")[0], "quick_gelu", 1e-5);
    }

    private static VaeConfig inferVae(WeightSource w) {
        int ch = (int) shape(w, V + "encoder.conv_in.weight")[0];
        int levels = count(w, V + "encoder.down.", ".");
        List<Integer> mult = new ArrayList<>();
        for (int level = 0; level < levels; level++) {
            mult.add((int) (shape(w, V + "encoder.down." + level + ".block.0.conv2.weight")[0] / ch));
        }
        return new VaeConfig((int) shape(w, V + "encoder.conv_in.weight")[1], (int) shape(w, V + "decoder.conv_out.weight")[0],
                ch, mult, count(w, V + "encoder.down.0.block.", "."), (int) shape(w, V + "decoder.conv_in.weight")[1],
                (int) shape(w, V + "post_quant_conv.weight")[1], true, 32, 1e-6, 0.18215);
    }

    private static long[] shape(WeightSource w, String key) {
        if (!w.names().contains(key)) {
            throw new IllegalArgumentException(w.description() + ": missing " + key
                    + " (needed to infer the model configuration; not an SD1.x single-file checkpoint?)");
        }
        return w.shape(key);
    }

    /** Number of distinct integers N in keys {@code <prefix>N<separator>...}. */
    private static int count(WeightSource w, String prefix, String separator) {
        return (int) w.names().stream().filter(k -> k.startsWith(prefix))
                .map(k -> k.substring(prefix.length()))
                .filter(rest -> rest.contains(separator))
                .map(rest -> rest.substring(0, rest.indexOf(separator)))
                .filter(n -> n.chars().allMatch(Character::isDigit))
                .distinct().count();
    }

    /** Required-field access that names the file and field on error. */
    private record Json(Path file, JsonNode root) {
        JsonNode section(String name) throws IOException {
            JsonNode n = root.path(name);
            if (!n.isObject()) {
                throw new IOException(file + ": missing object '" + name + "'");
            }
            return n;
        }

        int integer(JsonNode section, String sectionName, String field) {
            JsonNode n = section.path(field);
            if (!n.isInt()) {
                throw new IllegalArgumentException(file + ": " + sectionName + "." + field + " must be an integer, got " + n);
            }
            return n.asInt();
        }

        List<Integer> ints(JsonNode section, String sectionName, String field) {
            JsonNode n = section.path(field);
            if (!n.isArray()) {
                throw new IllegalArgumentException(file + ": " + sectionName + "." + field + " must be a list of integers, got " + n);
            }
            List<Integer> out = new ArrayList<>();
            n.forEach(e -> out.add(e.asInt()));
            return out;
        }
    }
}
