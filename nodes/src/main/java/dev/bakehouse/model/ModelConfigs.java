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

    /**
     * Reads {@code unet}, {@code text} (SD1/SD2) or {@code text1} + {@code text2} (SDXL: the CLIP-L
     * embedder in transformers names, the OpenCLIP one in open_clip names), {@code vae} and
     * {@code scale_factor}; norm eps default to SD's. {@code transformer_depth} is one number or one
     * per level; {@code adm_in_channels} (with {@code num_classes: sequential}) gives the UNet its
     * vector conditioning.
     */
    public static ModelConfig fromLdmJson(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        Json json = new Json(file, root);
        JsonNode u = json.section("unet");
        JsonNode v = json.section("vae");
        UNetConfig unet = unet(json, u);
        List<TextEncoderConfig> texts = root.has("text1")
                ? List.of(clipText(json, json.section("text1"), "text1", true), openClipText(json, json.section("text2")))
                : List.of(clipText(json, json.section("text"), "text", false));
        if (!v.path("attn_resolutions").isMissingNode() && !v.path("attn_resolutions").isEmpty()) {
            throw new IOException(file + ": vae.attn_resolutions must be empty (SD's VAE), got " + v.path("attn_resolutions"));
        }
        double defaultScale = texts.size() == 2 ? VaeConfig.SDXL_SCALE_FACTOR : VaeConfig.SD_SCALE_FACTOR;
        VaeConfig vae = new VaeConfig(v.path("in_channels").asInt(3), v.path("out_ch").asInt(3), json.integer(v, "vae", "ch"),
                json.ints(v, "vae", "ch_mult"), json.integer(v, "vae", "num_res_blocks"), json.integer(v, "vae", "z_channels"),
                json.integer(v, "vae", "embed_dim"), v.path("double_z").asBoolean(true), v.path("norm_num_groups").asInt(32),
                v.path("norm_eps").asDouble(1e-6), root.path("scale_factor").asDouble(defaultScale));
        try {
            return new ModelConfig(unet, texts, vae);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static UNetConfig unet(Json json, JsonNode u) {
        List<Integer> mult = json.ints(u, "unet", "channel_mult");
        JsonNode depthNode = u.path("transformer_depth");
        List<Integer> depth = depthNode.isArray() ? json.ints(u, "unet", "transformer_depth")
                : java.util.Collections.nCopies(mult.size(), json.integer(u, "unet", "transformer_depth"));
        int middle = u.has("transformer_depth_middle") ? json.integer(u, "unet", "transformer_depth_middle")
                : depth.get(depth.size() - 1);
        int adm = 0;
        if (u.has("adm_in_channels") || u.has("num_classes")) {
            if (!u.path("num_classes").asText("").equals("sequential")) {
                throw new IllegalArgumentException(json.file() + ": unet.num_classes must be \"sequential\" (SDXL's vector "
                        + "conditioning) when adm_in_channels is given, got " + u.path("num_classes"));
            }
            adm = json.integer(u, "unet", "adm_in_channels");
        }
        return new UNetConfig(json.integer(u, "unet", "in_channels"), json.integer(u, "unet", "out_channels"),
                json.integer(u, "unet", "model_channels"), mult, json.integer(u, "unet", "num_res_blocks"),
                json.ints(u, "unet", "attention_resolutions"), u.path("num_heads").asInt(-1),
                u.path("num_head_channels").asInt(-1), depth, middle, json.integer(u, "unet", "context_dim"),
                u.path("use_linear_in_transformer").asBoolean(false), adm, u.path("norm_num_groups").asInt(32),
                u.path("resblock_norm_eps").asDouble(1e-5), u.path("transformer_groupnorm_eps").asDouble(1e-6),
                u.path("layernorm_eps").asDouble(1e-5));
    }

    /** transformers CLIPTextConfig names; for SDXL's first embedder its sgm layer choice is checked. */
    private static TextEncoderConfig clipText(Json json, JsonNode t, String name, boolean sdxl) {
        int layers = json.integer(t, name, "num_hidden_layers");
        if (sdxl) {
            String layer = t.path("layer").asText("hidden");
            int idx = t.path("layer_idx").asInt(layers - 1);
            if (!(layer.equals("hidden") && idx == layers - 1 || layer.equals("penultimate"))) {
                throw new IllegalArgumentException(json.file() + ": " + name + ".layer/layer_idx: SDXL conditioning takes "
                        + "hidden_states[" + (layers - 1) + "] (layer \"hidden\", layer_idx " + (layers - 1) + "), got "
                        + layer + " / " + idx);
            }
        }
        return new TextEncoderConfig(TextEncoderConfig.Layout.HF_CLIP, json.integer(t, name, "vocab_size"),
                json.integer(t, name, "hidden_size"), layers, json.integer(t, name, "num_attention_heads"),
                json.integer(t, name, "intermediate_size"), json.integer(t, name, "max_position_embeddings"),
                t.path("hidden_act").asText("quick_gelu"), t.path("layer_norm_eps").asDouble(1e-5), 0,
                t.path("pad_token_id").asInt(TextEncoderConfig.EOS));
    }

    /** open_clip text-tower names ({@code width}, {@code heads}, {@code layers}, ...): SDXL's second embedder. */
    private static TextEncoderConfig openClipText(Json json, JsonNode t) {
        String layer = t.path("layer").asText("penultimate");
        if (!layer.equals("penultimate")) {
            throw new IllegalArgumentException(json.file() + ": text2.layer: SDXL conditioning takes the \"penultimate\" "
                    + "layer, got \"" + layer + "\"");
        }
        return new TextEncoderConfig(TextEncoderConfig.Layout.OPEN_CLIP, json.integer(t, "text2", "vocab_size"),
                json.integer(t, "text2", "width"), json.integer(t, "text2", "layers"), json.integer(t, "text2", "heads"),
                json.integer(t, "text2", "mlp_width"), json.integer(t, "text2", "context_length"),
                t.path("act").asText("gelu"), t.path("layer_norm_eps").asDouble(1e-5), json.integer(t, "text2", "embed_dim"),
                t.path("pad_token_id").asInt(0));
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
        unet.put("num_heads", u.numHeads()).put("num_head_channels", u.numHeadChannels());
        List<Integer> depths = u.transformerDepth().stream().filter(d -> d > 0).distinct().toList();
        if (depths.size() == 1 && depths.get(0) == u.transformerDepthMiddle()) {
            unet.put("transformer_depth", u.transformerDepthMiddle());
        } else {
            u.transformerDepth().forEach(unet.putArray("transformer_depth")::add);
            unet.put("transformer_depth_middle", u.transformerDepthMiddle());
        }
        unet.put("context_dim", u.contextDim())
                .put("use_linear_in_transformer", u.useLinearInTransformer()).put("norm_num_groups", u.normNumGroups())
                .put("resblock_norm_eps", u.resblockNormEps()).put("transformer_groupnorm_eps", u.transformerGroupNormEps())
                .put("layernorm_eps", u.layerNormEps());
        if (u.hasVectorConditioning()) {
            unet.put("num_classes", "sequential").put("adm_in_channels", u.admInChannels());
        }
        if (config.isSdxl()) {
            putClipText(root.putObject("text1"), config.text()).put("layer", "hidden")
                    .put("layer_idx", config.text().numHiddenLayers() - 1);
            TextEncoderConfig t = config.textEncoders().get(1);
            root.putObject("text2").put("vocab_size", t.vocabSize()).put("width", t.hiddenSize()).put("heads", t.numAttentionHeads())
                    .put("layers", t.numHiddenLayers()).put("mlp_width", t.intermediateSize())
                    .put("context_length", t.maxPositionEmbeddings()).put("embed_dim", t.projectionDim())
                    .put("act", t.hiddenAct()).put("layer_norm_eps", t.layerNormEps()).put("pad_token_id", t.padTokenId())
                    .put("layer", "penultimate");
        } else {
            putClipText(root.putObject("text"), config.text());
        }
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

    private static ObjectNode putClipText(ObjectNode node, TextEncoderConfig t) {
        if (t.layout() != TextEncoderConfig.Layout.HF_CLIP) {
            throw new IllegalArgumentException("only transformers-layout text encoders are written as 'text' (SD1), got " + t.layout());
        }
        node.put("vocab_size", t.vocabSize()).put("hidden_size", t.hiddenSize())
                .put("num_hidden_layers", t.numHiddenLayers()).put("num_attention_heads", t.numAttentionHeads())
                .put("intermediate_size", t.intermediateSize()).put("max_position_embeddings", t.maxPositionEmbeddings())
                .put("hidden_act", t.hiddenAct()).put("layer_norm_eps", t.layerNormEps());
        if (t.padTokenId() != TextEncoderConfig.EOS) {
            node.put("pad_token_id", t.padTokenId());
        }
        return node;
    }

    /**
     * The configuration of a detected checkpoint ({@code ArchitectureDetector}): SD1.x (transformers
     * CLIP text encoder) and SDXL (CLIP-L + OpenCLIP bigG, label_emb). Head counts come from the
     * family's convention (SD1: 8 UNet heads; SDXL: 64-wide heads; CLIP: 64-wide heads), so custom
     * sizes (whose heads the shapes do not reveal) need a config file.
     */
    public static ModelConfig fromDetected(DetectedArchitecture a, String source) {
        String where = source + " (" + a.describe() + ")";
        boolean sdxl = a.family() == DetectedArchitecture.Family.SDXL;
        List<DetectedArchitecture.TextLayout> layouts = a.textEncoders().stream().map(DetectedArchitecture.TextEncoderNumbers::layout).toList();
        boolean sd1 = a.family() == DetectedArchitecture.Family.SD1 && layouts.equals(List.of(DetectedArchitecture.TextLayout.HF_CLIP));
        if (!sd1 && !(sdxl && layouts.equals(List.of(DetectedArchitecture.TextLayout.HF_CLIP, DetectedArchitecture.TextLayout.OPEN_CLIP)))) {
            throw new IllegalArgumentException(where + ": only SD1.x and SDXL checkpoints with their text encoders can be run so far");
        }
        DetectedArchitecture.UNetNumbers u = a.unet();
        if (u.numHeads() < 1 && u.numHeadChannels() < 1 || !a.standardSize()) {
            throw new IllegalArgumentException(where + ": the attention head counts of a custom-size model are not "
                    + "visible in its shapes; pass a config file");
        }
        List<Integer> depths = u.transformerDepth().stream().filter(d -> d > 0).distinct().toList();
        if (!sdxl && depths.size() != 1) {
            throw new IllegalArgumentException(where + ": transformer_depth " + u.transformerDepth() + " differs by level");
        }
        // sgm's transformer_depth_middle defaults to the last level's depth (SDXL: 10)
        int middle = u.transformerDepth().get(u.transformerDepth().size() - 1);
        UNetConfig unet = new UNetConfig(u.inChannels(), u.outChannels(), u.modelChannels(), u.channelMult(),
                u.numResBlocks(), u.attentionResolutions(), u.numHeads(), u.numHeadChannels(), u.transformerDepth(),
                middle > 0 ? middle : depths.get(0), u.contextDim(), u.useLinearInTransformer(), u.admInChannels(),
                32, 1e-5, 1e-6, 1e-5);
        List<TextEncoderConfig> texts = new ArrayList<>();
        for (DetectedArchitecture.TextEncoderNumbers t : a.textEncoders()) {
            boolean openClip = t.layout() == DetectedArchitecture.TextLayout.OPEN_CLIP;
            // CLIP ViT-L and OpenCLIP bigG both use 64-wide heads; OpenAI CLIP uses quick_gelu, OpenCLIP the erf GELU
            texts.add(new TextEncoderConfig(openClip ? TextEncoderConfig.Layout.OPEN_CLIP : TextEncoderConfig.Layout.HF_CLIP,
                    t.vocabSize(), t.hiddenSize(), t.numLayers(), t.hiddenSize() / 64, t.intermediateSize(), t.maxPositions(),
                    openClip ? "gelu" : "quick_gelu", 1e-5, openClip ? t.projectionDim() : 0, openClip ? 0 : TextEncoderConfig.EOS));
        }
        DetectedArchitecture.VaeNumbers v = a.vae();
        if (v == null) {
            throw new IllegalArgumentException(where + ": the checkpoint has no VAE (first_stage_model.*)");
        }
        VaeConfig vae = new VaeConfig(v.inChannels(), v.outChannels(), v.ch(), v.chMult(), v.numResBlocks(),
                v.zChannels(), v.embedDim(), true, 32, 1e-6, sdxl ? VaeConfig.SDXL_SCALE_FACTOR : VaeConfig.SD_SCALE_FACTOR);
        return new ModelConfig(unet, texts, vae);
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
