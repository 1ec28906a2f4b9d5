package dev.bakehouse.tensor.sd;

import dev.bakehouse.tensor.Shapes;
import dev.bakehouse.tensor.TensorFileException;
import dev.bakehouse.tensor.TensorSource;
import dev.bakehouse.tensor.sd.DetectedArchitecture.Family;
import dev.bakehouse.tensor.sd.DetectedArchitecture.Prediction;
import dev.bakehouse.tensor.sd.DetectedArchitecture.TextEncoderNumbers;
import dev.bakehouse.tensor.sd.DetectedArchitecture.TextLayout;
import dev.bakehouse.tensor.sd.DetectedArchitecture.UNetNumbers;
import dev.bakehouse.tensor.sd.DetectedArchitecture.VaeNumbers;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Recognises SD1.x, SD2.x and SDXL single-file checkpoints (published sizes and our tiny ones)
 * from their keys and shapes, and derives the configuration numbers. Keys must already be in the
 * LDM layout (see {@link LdmKeys#normalize} for old text-encoder spellings).
 */
public final class ArchitectureDetector {
    private ArchitectureDetector() {}

    private static final String U = CheckpointComponent.UNET.prefix();
    private static final String V = CheckpointComponent.VAE.prefix();

    /**
     * Detects from keys and shapes, reading at most one small tensor: for SD2 the prediction type
     * is decided as ComfyUI does (std of {@code output_blocks.11.1.transformer_blocks.0.norm1.bias}
     * above 0.09 means v-prediction), unless the file's metadata says so
     * ({@code modelspec.prediction_type}) or it carries a {@code v_pred} key.
     */
    public static DetectedArchitecture detect(TensorSource file) throws TensorFileException {
        DetectedArchitecture a = detect(ShapeIndex.of(file), file.metadata());
        if (a.family() == Family.SD2 && a.prediction() == Prediction.UNKNOWN) {
            String key = U + "output_blocks.11.1.transformer_blocks.0.norm1.bias";
            Prediction p = Prediction.EPSILON;
            if (a.unet().inChannels() == 4 && file.contains(key) && populationStd(file.readFloats(key)) > 0.09) {
                p = Prediction.V_PREDICTION;
            }
            a = new DetectedArchitecture(a.family(), a.standardSize(), p, a.unet(), a.textEncoders(), a.vae(),
                    a.tensorCounts(), a.parameterCounts());
        }
        return a;
    }

    /** Detects from keys and shapes only; SD2's prediction type is then UNKNOWN unless metadata names it. */
    public static DetectedArchitecture detect(ShapeIndex shapes, Map<String, String> metadata) throws TensorFileException {
        if (!shapes.has(U + "input_blocks.0.0.weight")) {
            String hint = shapes.has("conv_in.weight") && shapes.anyWithPrefix("down_blocks.")
                    ? "this is a diffusers UNet file; open the diffusers folder instead"
                    : shapes.keys().stream().anyMatch(k -> k.startsWith("lora_")) ? "this looks like a LoRA file"
                    : "not a single-file Stable Diffusion checkpoint";
            throw new TensorFileException(shapes.source(), U + "input_blocks.0.0.weight", "missing: " + hint);
        }
        UNetNumbers unetShape = unet(shapes);
        List<TextEncoderNumbers> texts = textEncoders(shapes);
        Family family = family(shapes, unetShape, texts);
        UNetNumbers unet = withHeads(family, unetShape, isStandard(family, unetShape, texts));
        boolean standard = isStandard(family, unet, texts);
        VaeNumbers vae = shapes.has(V + "encoder.conv_in.weight") ? vae(shapes) : null;
        Map<CheckpointComponent, Integer> counts = new EnumMap<>(CheckpointComponent.class);
        Map<CheckpointComponent, Long> params = new EnumMap<>(CheckpointComponent.class);
        for (Map.Entry<String, long[]> e : shapes.shapes().entrySet()) {
            CheckpointComponent c = CheckpointComponent.of(e.getKey());
            counts.merge(c, 1, Integer::sum);
            params.merge(c, Shapes.numel(e.getValue()), Long::sum);
        }
        return new DetectedArchitecture(family, standard, prediction(family, shapes, metadata), unet, texts, vae, counts, params);
    }

    private static Prediction prediction(Family family, ShapeIndex shapes, Map<String, String> metadata) {
        String declared = metadata.getOrDefault("modelspec.prediction_type", "");
        if (declared.equals("v")) {
            return Prediction.V_PREDICTION;
        }
        if (declared.equals("epsilon")) {
            return Prediction.EPSILON;
        }
        if (shapes.has("v_pred")) {
            return Prediction.V_PREDICTION;
        }
        return family == Family.SD2 ? Prediction.UNKNOWN : Prediction.EPSILON;
    }

    private static Family family(ShapeIndex shapes, UNetNumbers unet, List<TextEncoderNumbers> texts) throws TensorFileException {
        for (TextEncoderNumbers t : texts) {
            switch (t.component()) {
                case TEXT_ENCODER_SDXL_1, TEXT_ENCODER_SDXL_2 -> { return Family.SDXL; }
                case TEXT_ENCODER_OPENCLIP -> { return Family.SD2; }
                case TEXT_ENCODER -> { return Family.SD1; }
                default -> { }
            }
        }
        // No text encoder in the file (a UNet-only save): go by the UNet alone.
        if (unet.admInChannels() > 0) {
            return Family.SDXL;
        }
        if (unet.useLinearInTransformer()) {
            return Family.SD2;
        }
        if (unet.contextDim() > 0) {
            return Family.SD1;
        }
        throw new TensorFileException(shapes.source(), null, "UNet has no cross-attention; not an SD1/SD2/SDXL checkpoint");
    }

    private static boolean isStandard(Family family, UNetNumbers u, List<TextEncoderNumbers> texts) {
        boolean unet = u.modelChannels() == 320 && switch (family) {
            case SD1 -> u.contextDim() == 768 && u.channelMult().equals(List.of(1, 2, 4, 4));
            case SD2 -> u.contextDim() == 1024 && u.channelMult().equals(List.of(1, 2, 4, 4));
            case SDXL -> u.contextDim() == 2048 && u.channelMult().equals(List.of(1, 2, 4));
        };
        for (TextEncoderNumbers t : texts) {
            int expected = switch (t.component()) {
                case TEXT_ENCODER, TEXT_ENCODER_SDXL_1 -> 768;
                case TEXT_ENCODER_OPENCLIP -> 1024;
                case TEXT_ENCODER_SDXL_2 -> 1280;
                default -> -1;
            };
            unet &= t.hiddenSize() == expected;
        }
        return unet;
    }

    private static UNetNumbers withHeads(Family family, UNetNumbers u, boolean standard) {
        int heads = standard && family == Family.SD1 ? 8 : -1;
        int headChannels = standard && family != Family.SD1 ? 64 : -1;
        return new UNetNumbers(u.inChannels(), u.outChannels(), u.modelChannels(), u.channelMult(), u.numResBlocks(),
                u.attentionResolutions(), u.transformerDepth(), u.contextDim(), u.useLinearInTransformer(),
                u.admInChannels(), heads, headChannels);
    }

    private static UNetNumbers unet(ShapeIndex s) throws TensorFileException {
        int mc = s.dim(U + "input_blocks.0.0.weight", 0);
        int in = s.dim(U + "input_blocks.0.0.weight", 1);
        int out = s.dim(U + "out.2.weight", 0);
        Set<Integer> blocks = s.indices(U + "input_blocks.");
        int downsamplers = (int) blocks.stream().filter(i -> s.has(U + "input_blocks." + i + ".0.op.weight")).count();
        int levels = downsamplers + 1;
        int nrb = (blocks.size() - 1 - downsamplers) / levels;
        if (nrb < 1 || 1 + levels * nrb + downsamplers != blocks.size()) {
            throw new TensorFileException(s.source(), null, "UNet input_blocks (" + blocks.size() + " blocks, "
                    + downsamplers + " downsamplers) do not form an LDM UNet");
        }
        List<Integer> mult = new ArrayList<>();
        List<Integer> attention = new ArrayList<>();
        List<Integer> depth = new ArrayList<>();
        int contextDim = 0;
        boolean linear = false;
        for (int level = 0; level < levels; level++) {
            String block = U + "input_blocks." + (1 + level * (nrb + 1));
            int width = s.dim(block + ".0.out_layers.3.weight", 0);
            if (width % mc != 0) {
                throw new TensorFileException(s.source(), block + ".0.out_layers.3.weight", "has " + width
                        + " output channels, not a multiple of model_channels " + mc);
            }
            mult.add(width / mc);
            String st = block + ".1.";
            if (s.has(st + "proj_in.weight")) {
                attention.add(1 << level);
                depth.add(s.indices(st + "transformer_blocks.").size());
                if (contextDim == 0) {
                    contextDim = s.dim(st + "transformer_blocks.0.attn2.to_k.weight", 1);
                    linear = s.shape(st + "proj_in.weight").length == 2;
                }
            } else {
                depth.add(0);
            }
        }
        int adm = s.has(U + "label_emb.0.0.weight") ? s.dim(U + "label_emb.0.0.weight", 1) : 0;
        return new UNetNumbers(in, out, mc, mult, nrb, attention, depth, contextDim, linear, adm, -1, -1);
    }

    private static List<TextEncoderNumbers> textEncoders(ShapeIndex s) throws TensorFileException {
        List<TextEncoderNumbers> out = new ArrayList<>();
        for (CheckpointComponent c : List.of(CheckpointComponent.TEXT_ENCODER, CheckpointComponent.TEXT_ENCODER_SDXL_1)) {
            String p = c.prefix() + "text_model.";
            if (s.has(p + "embeddings.token_embedding.weight")) {
                long[] tok = s.shape(p + "embeddings.token_embedding.weight");
                out.add(new TextEncoderNumbers(c, TextLayout.HF_CLIP, (int) tok[0], (int) tok[1],
                        s.indices(p + "encoder.layers.").size(), s.dim(p + "encoder.layers.0.mlp.fc1.weight", 0),
                        s.dim(p + "embeddings.position_embedding.weight", 0),
                        s.has(c.prefix() + "text_projection.weight") ? s.dim(c.prefix() + "text_projection.weight", 0) : 0));
            }
        }
        for (CheckpointComponent c : List.of(CheckpointComponent.TEXT_ENCODER_OPENCLIP, CheckpointComponent.TEXT_ENCODER_SDXL_2)) {
            String p = c.prefix();
            if (s.has(p + "token_embedding.weight")) {
                long[] tok = s.shape(p + "token_embedding.weight");
                out.add(new TextEncoderNumbers(c, TextLayout.OPEN_CLIP, (int) tok[0], (int) tok[1],
                        s.indices(p + "transformer.resblocks.").size(), s.dim(p + "transformer.resblocks.0.mlp.c_fc.weight", 0),
                        s.dim(p + "positional_embedding", 0),
                        s.has(p + "text_projection") ? s.dim(p + "text_projection", 1) : 0));
            }
        }
        return out;
    }

    private static VaeNumbers vae(ShapeIndex s) throws TensorFileException {
        int ch = s.dim(V + "encoder.conv_in.weight", 0);
        Set<Integer> levels = s.indices(V + "encoder.down.");
        List<Integer> mult = new ArrayList<>();
        for (int level : levels) {
            mult.add(s.dim(V + "encoder.down." + level + ".block.0.conv2.weight", 0) / ch);
        }
        return new VaeNumbers(s.dim(V + "encoder.conv_in.weight", 1), s.dim(V + "decoder.conv_out.weight", 0), ch, mult,
                s.indices(V + "encoder.down.0.block.").size(), s.dim(V + "decoder.conv_in.weight", 1),
                s.dim(V + "post_quant_conv.weight", 1));
    }

    private static double populationStd(float[] v) {
        double mean = 0;
        for (float x : v) {
            mean += x;
        }
        mean /= v.length;
        double var = 0;
        for (float x : v) {
            var += (x - mean) * (x - mean);
        }
        return Math.sqrt(var / v.length);
    }
}
