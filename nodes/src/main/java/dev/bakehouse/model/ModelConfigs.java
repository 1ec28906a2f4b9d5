package dev.bakehouse.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.model.clip.TextEncoderConfig;
import dev.bakehouse.model.unet.UNetConfig;
import dev.bakehouse.model.vae.VaeConfig;
import dev.bakehouse.tensor.sd.DetectedArchitecture;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a {@link ModelConfig} comes from besides the presets: a JSON file with the LDM yaml names
 * (the layout of {@code sd15-tiny/config.json}), or what the tensor package detected from a
 * checkpoint's keys and shapes.
 */
public final class ModelConfigs {
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
     * {@code <name>.config.json} beside a checkpoint, {@code name} without its extension (a
     * diffusers folder's whole name: dots in folder names are no extension): where a custom-size
     * model's {@link #toLdmJson} config is found.
     */
    public static Path sidecarPath(Path checkpoint) {
        String name = checkpoint.getFileName().toString();
        int dot = java.nio.file.Files.isDirectory(checkpoint) ? -1 : name.lastIndexOf('.');
        return checkpoint.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".config.json");
    }

    /**
     * The inverse of {@link #fromLdmJson}: the sidecar ({@code <checkpoint>.config.json}) that tells
     * the loader a custom-size model's architecture, with every field the reader takes.
     */
    public static String toLdmJson(ModelConfig config) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        UNetConfig u = config.unet();
        ObjectNode unet = root.putObject("unet");
        unet.put("in_channels", u.inChannels()).put("out_channels", u.outChannels())
                .put("model_channels", u.modelChannels());
        u.channelMult().forEach(unet.putArray("channel_mult")::add);
        unet.put("num_res_blocks", u.numResBlocks());
        u.attentionResolutions().forEach(unet.putArray("attention_resolutions")::add);
        unet.put("num_heads", u.numHeads()).put("num_head_channels", u.numHeadChannels())
                .put("transformer_depth", u.transformerDepth()).put("context_dim", u.contextDim())
                .put("use_linear_in_transformer", u.useLinearInTransformer()).put("norm_num_groups", u.normNumGroups())
                .put("resblock_norm_eps", u.resblockNormEps()).put("transformer_groupnorm_eps", u.transformerGroupNormEps())
                .put("layernorm_eps", u.layerNormEps());
        TextEncoderConfig t = config.text();
        root.putObject("text").put("vocab_size", t.vocabSize()).put("hidden_size", t.hiddenSize())
                .put("num_hidden_layers", t.numHiddenLayers()).put("num_attention_heads", t.numAttentionHeads())
                .put("intermediate_size", t.intermediateSize()).put("max_position_embeddings", t.maxPositionEmbeddings())
                .put("hidden_act", t.hiddenAct()).put("layer_norm_eps", t.layerNormEps());
        VaeConfig v = config.vae();
        ObjectNode vae = root.putObject("vae");
        vae.put("in_channels", v.inChannels()).put("out_ch", v.outCh()).put("ch", v.ch());
        v.chMult().forEach(vae.putArray("ch_mult")::add);
        vae.put("num_res_blocks", v.numResBlocks()).put("z_channels", v.zChannels()).put("embed_dim", v.embedDim())
                .put("double_z", v.doubleZ()).put("norm_num_groups", v.normNumGroups()).put("norm_eps", v.normEps());
        vae.putArray("attn_resolutions");
        root.put("scale_factor", v.scaleFactor());
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain values always serializes", e);
        }
    }

    /**
     * The configuration of a detected checkpoint ({@code ArchitectureDetector}). Only the SD1.x
     * layout (transformers CLIP text encoder) is built here; head counts come from the family's
     * convention, so custom sizes (whose heads the shapes do not reveal) need a config file.
     */
    public static ModelConfig fromDetected(DetectedArchitecture a, String source) {
        String where = source + " (" + a.describe() + ")";
        if (a.family() != DetectedArchitecture.Family.SD1 || a.textEncoders().size() != 1
                || a.textEncoders().get(0).layout() != DetectedArchitecture.TextLayout.HF_CLIP) {
            throw new IllegalArgumentException(where + ": only SD1.x checkpoints can be run so far");
        }
        DetectedArchitecture.UNetNumbers u = a.unet();
        if (u.numHeads() < 1 && u.numHeadChannels() < 1 || !a.standardSize()) {
            throw new IllegalArgumentException(where + ": the attention head counts of a custom-size model are not "
                    + "visible in its shapes; pass a config file");
        }
        List<Integer> depths = u.transformerDepth().stream().filter(d -> d > 0).distinct().toList();
        if (depths.size() != 1) {
            throw new IllegalArgumentException(where + ": transformer_depth " + u.transformerDepth() + " differs by level");
        }
        UNetConfig unet = new UNetConfig(u.inChannels(), u.outChannels(), u.modelChannels(), u.channelMult(),
                u.numResBlocks(), u.attentionResolutions(), u.numHeads(), u.numHeadChannels(), depths.get(0),
                u.contextDim(), u.useLinearInTransformer(), 32, 1e-5, 1e-6, 1e-5);
        DetectedArchitecture.TextEncoderNumbers t = a.textEncoders().get(0);
        TextEncoderConfig text = new TextEncoderConfig(t.vocabSize(), t.hiddenSize(), t.numLayers(),
                t.hiddenSize() / 64, t.intermediateSize(), t.maxPositions(), "quick_gelu", 1e-5); // CLIP ViT-L: 64-wide heads
        DetectedArchitecture.VaeNumbers v = a.vae();
        VaeConfig vae = new VaeConfig(v.inChannels(), v.outChannels(), v.ch(), v.chMult(), v.numResBlocks(),
                v.zChannels(), v.embedDim(), true, 32, 1e-6, 0.18215);
        return new ModelConfig(unet, text, vae);
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
