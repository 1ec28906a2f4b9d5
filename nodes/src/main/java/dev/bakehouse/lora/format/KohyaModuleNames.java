package dev.bakehouse.lora.format;

import dev.bakehouse.tensor.TensorFileException;
import dev.bakehouse.tensor.sd.ArchitectureDetector;
import dev.bakehouse.tensor.sd.CheckpointComponent;
import dev.bakehouse.tensor.sd.DetectedArchitecture;
import dev.bakehouse.tensor.sd.DetectedArchitecture.Family;
import dev.bakehouse.tensor.sd.ShapeIndex;
import dev.bakehouse.tensor.sd.UNetKeyMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Enumerates the LoRA modules kohya's {@code networks.lora} creates for a checkpoint, from its
 * keys and shapes alone: LierLa (Linear and 1x1 conv children of the transformer blocks and the
 * text encoders' attention/MLP) and C3Lier (ResnetBlock2D children, Downsample2D/Upsample2D convs,
 * made only with {@code conv_dim}). kohya names SD1/SD2 UNet modules by diffusers paths and SDXL's
 * by LDM paths; text modules always by transformers CLIP paths (OpenCLIP's fused q/k/v rows split).
 */
public final class KohyaModuleNames {
    private KohyaModuleNames() {}

    private static final String U = CheckpointComponent.UNET.prefix();
    private static final Pattern HF_TEXT = Pattern.compile(
            "text_model\\.encoder\\.layers\\.(\\d+)\\.(self_attn\\.(q|k|v|out)_proj|mlp\\.fc[12])\\.weight");
    private static final Pattern OPEN_CLIP_TEXT = Pattern.compile(
            "transformer\\.resblocks\\.(\\d+)\\.(attn\\.in_proj_weight|attn\\.out_proj\\.weight|mlp\\.c_fc\\.weight|mlp\\.c_proj\\.weight)");
    private static final Pattern LBW = Pattern.compile("(input_blocks|middle_block|output_blocks)\\.(\\d+)\\..*");

    /** Every target of a checkpoint: text encoders first, then the UNet in key order. */
    public static List<LoraTarget> enumerate(ShapeIndex checkpoint) throws TensorFileException {
        DetectedArchitecture arch = ArchitectureDetector.detect(checkpoint, Map.of());
        List<LoraTarget> out = new ArrayList<>();
        for (DetectedArchitecture.TextEncoderNumbers te : arch.textEncoders()) {
            out.addAll(textTargets(checkpoint, te.component(), textPrefix(arch.family(), te.component())));
        }
        UNetKeyMap map = UNetKeyMap.of(arch.unet());
        for (Map.Entry<String, long[]> e : checkpoint.shapes().entrySet()) {
            if (e.getKey().startsWith(U) && e.getKey().endsWith(".weight") && e.getValue().length >= 2) {
                unetTarget(e.getKey(), e.getValue(), map, arch.family() == Family.SDXL).ifPresent(out::add);
            }
        }
        return out;
    }

    private static String textPrefix(Family family, CheckpointComponent c) {
        return switch (c) {
            case TEXT_ENCODER_SDXL_1 -> "lora_te1_";
            case TEXT_ENCODER_SDXL_2 -> "lora_te2_";
            default -> family == Family.SDXL ? "lora_te1_" : "lora_te_";
        };
    }

    private static List<LoraTarget> textTargets(ShapeIndex s, CheckpointComponent c, String prefix) {
        List<LoraTarget> out = new ArrayList<>();
        for (Map.Entry<String, long[]> e : s.shapes().entrySet()) {
            if (!e.getKey().startsWith(c.prefix())) {
                continue;
            }
            String rest = e.getKey().substring(c.prefix().length());
            long[] shape = e.getValue();
            Matcher hf = HF_TEXT.matcher(rest);
            if (hf.matches()) {
                String module = rest.substring(0, rest.length() - ".weight".length());
                out.add(new LoraTarget(prefix + module.replace('.', '_'), e.getKey(), -1, -1, LayerKind.LINEAR,
                        (int) shape[1], (int) shape[0], 1, "BASE", false, module));
                continue;
            }
            Matcher oc = OPEN_CLIP_TEXT.matcher(rest);
            if (oc.matches()) {
                String layer = "text_model.encoder.layers." + oc.group(1) + ".";
                int width = (int) shape[1];
                switch (oc.group(2)) {
                    case "attn.in_proj_weight" -> {
                        int rows = (int) shape[0] / 3;
                        String[] qkv = {"q_proj", "k_proj", "v_proj"};
                        for (int i = 0; i < 3; i++) {
                            String module = layer + "self_attn." + qkv[i];
                            out.add(new LoraTarget(prefix + module.replace('.', '_'), e.getKey(), i * rows, (i + 1) * rows,
                                    LayerKind.LINEAR, width, rows, 1, "BASE", false, module));
                        }
                    }
                    default -> {
                        String module = layer + switch (oc.group(2)) {
                            case "attn.out_proj.weight" -> "self_attn.out_proj";
                            case "mlp.c_fc.weight" -> "mlp.fc1";
                            default -> "mlp.fc2";
                        };
                        out.add(new LoraTarget(prefix + module.replace('.', '_'), e.getKey(), -1, -1, LayerKind.LINEAR,
                                width, (int) shape[0], 1, "BASE", false, module));
                    }
                }
            }
        }
        return out;
    }

    private static Optional<LoraTarget> unetTarget(String key, long[] shape, UNetKeyMap map, boolean sdxl) {
        String ldm = key.substring(U.length());
        Optional<String> diffusers = map.toDiffusers(ldm);
        if (diffusers.isEmpty()) {
            return Optional.empty();
        }
        String d = diffusers.get();
        boolean transformer = d.contains(".attentions.");
        boolean resnet = d.contains(".resnets.");
        boolean sampler = d.contains(".downsamplers.") || d.contains(".upsamplers.");
        if (!transformer && !resnet && !sampler) {
            return Optional.empty(); // conv_in, conv_out, time/label embeddings: not kohya targets
        }
        LayerKind kind;
        try {
            kind = LayerKind.ofWeightShape(shape);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String module = (sdxl ? ldm : d).substring(0, (sdxl ? ldm : d).length() - ".weight".length());
        Matcher lbw = LBW.matcher(ldm);
        String block = !lbw.matches() ? "M00" : switch (lbw.group(1)) {
            case "input_blocks" -> String.format("IN%02d", Integer.parseInt(lbw.group(2)));
            case "output_blocks" -> String.format("OUT%02d", Integer.parseInt(lbw.group(2)));
            default -> "M00";
        };
        int stride = d.contains(".downsamplers.") ? 2 : 1;
        return Optional.of(new LoraTarget("lora_unet_" + module.replace('.', '_'), key, -1, -1, kind,
                (int) shape[1], (int) shape[0], stride, block, !transformer, module));
    }
}
