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
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that names kohya LoRA modules. {@link #enumerate} lists the modules kohya's
 * {@code networks.lora} creates for a checkpoint, from its keys and shapes alone: LierLa (Linear
 * and 1x1 conv children of the transformer blocks and the text encoders' attention/MLP) and C3Lier
 * (ResnetBlock2D children, Downsample2D/Upsample2D convs, made only with {@code conv_dim}).
 * {@link #of} names any weight of a loaded model (run-time patching also accepts modules kohya
 * would not create, such as LyCORIS's {@code conv_in}). kohya names SD1/SD2 UNet modules by
 * diffusers paths and SDXL's by LDM paths; text modules always by transformers CLIP paths
 * (OpenCLIP's fused q/k/v rows split). The LBW block always comes from {@link LbwBlock#ofCheckpointKey}.
 */
public final class KohyaModuleNames {
    private static final String WEIGHT = ".weight";
    /** Every SD UNet has two res blocks per level; block numbers do not depend on the level count. */
    private static final UNetKeyMap NAME_LAYOUT = UNetKeyMap.of(4, 2, Set.of(0, 1, 2, 3));
    private static final Pattern DIFFUSERS_NAME = Pattern.compile(
            "lora_unet_((?:down|up)_blocks)_(\\d+)_(resnets|attentions|downsamplers|upsamplers)_(\\d+)_.*");
    private static final Pattern LDM_NAME = Pattern.compile("lora_unet_(input_blocks|output_blocks)_(\\d+)_.*");

    private final UNetKeyMap unet;
    private final boolean ldmUnetNames;

    /**
     * @param unet         the LDM <-> diffusers map of the model's UNet layout
     * @param ldmUnetNames true for SDXL, whose UNet modules kohya names by LDM paths
     */
    public KohyaModuleNames(UNetKeyMap unet, boolean ldmUnetNames) {
        this.unet = unet;
        this.ldmUnetNames = ldmUnetNames;
    }

    /**
     * The module name for a single-file {@code .weight} key of the UNet or a transformers-layout
     * text encoder, or empty for other keys (VAE, biases, OpenCLIP's fused projections).
     */
    public Optional<String> of(String checkpointWeightKey) {
        if (!checkpointWeightKey.endsWith(WEIGHT)) {
            return Optional.empty();
        }
        CheckpointComponent c = CheckpointComponent.of(checkpointWeightKey);
        String rest = checkpointWeightKey.substring(c.prefix().length());
        return switch (c) {
            case TEXT_ENCODER, TEXT_ENCODER_SDXL_1 -> Optional.of(textPrefix(ldmUnetNames ? Family.SDXL : Family.SD1, c)
                    + underscore(rest));
            case UNET -> (ldmUnetNames ? Optional.of(rest) : unet.toDiffusers(rest)).map(d -> "lora_unet_" + underscore(d));
            default -> Optional.empty();
        };
    }

    /**
     * A module's place in a weight of a loaded model.
     *
     * @param rowStart first row it covers (OpenCLIP's fused q/k/v), or -1 for the whole weight
     * @param rowEnd   row after its last, or -1
     */
    public record Placement(String moduleName, int rowStart, int rowEnd) {
        public boolean wholeWeight() {
            return rowStart < 0;
        }
    }

    /**
     * Every module that may adapt a single-file {@code .weight} key with {@code rows} rows: the one
     * {@link #of} names, or, for an OpenCLIP text tower (SDXL's second encoder, SD2's), the modules
     * of kohya's transformers view, q/k/v each on its third of {@code attn.in_proj_weight}.
     */
    public List<Placement> placements(String checkpointWeightKey, long rows) {
        CheckpointComponent c = CheckpointComponent.of(checkpointWeightKey);
        if (c == CheckpointComponent.TEXT_ENCODER_SDXL_2 || c == CheckpointComponent.TEXT_ENCODER_OPENCLIP) {
            String prefix = textPrefix(c == CheckpointComponent.TEXT_ENCODER_SDXL_2 ? Family.SDXL : Family.SD2, c);
            return openClipModules(checkpointWeightKey.substring(c.prefix().length()), rows).stream()
                    .map(m -> new Placement(prefix + m.hfPath().replace('.', '_'), m.rowStart(), m.rowEnd())).toList();
        }
        return of(checkpointWeightKey).map(n -> List.of(new Placement(n, -1, -1))).orElse(List.of());
    }

    /**
     * The LBW block of a module known only by its kohya name (a LoRA file without its model):
     * BASE for text encoder modules; for UNet modules the block of the single-file key the name
     * translates to. Empty for names outside the blocks ({@code lora_unet_conv_in}).
     */
    public static Optional<LbwBlock> blockOfModuleName(String moduleName) {
        if (moduleName.startsWith("lora_te")) {
            return Optional.of(LbwBlock.BASE);
        }
        if (moduleName.startsWith("lora_unet_mid_block_") || moduleName.startsWith("lora_unet_middle_block_")) {
            return Optional.of(LbwBlock.M00);
        }
        Matcher d = DIFFUSERS_NAME.matcher(moduleName);
        if (d.matches()) {
            String diffusers = d.group(1) + "." + d.group(2) + "." + d.group(3) + "." + d.group(4) + ".";
            String inner = d.group(3).endsWith("samplers") ? "conv.weight" : "x.weight";
            return NAME_LAYOUT.toLdm(diffusers + inner).flatMap(k -> LbwBlock.ofCheckpointKey(U + k));
        }
        Matcher l = LDM_NAME.matcher(moduleName);
        if (l.matches()) {
            return LbwBlock.ofCheckpointKey(U + l.group(1) + "." + l.group(2) + ".x.weight");
        }
        return Optional.empty();
    }

    private static String underscore(String weightKey) {
        return weightKey.substring(0, weightKey.length() - WEIGHT.length()).replace('.', '_');
    }

    private static final String U = CheckpointComponent.UNET.prefix();
    private static final Pattern HF_TEXT = Pattern.compile(
            "text_model\\.encoder\\.layers\\.(\\d+)\\.(self_attn\\.(q|k|v|out)_proj|mlp\\.fc[12])\\.weight");
    private static final Pattern OPEN_CLIP_TEXT = Pattern.compile(
            "transformer\\.resblocks\\.(\\d+)\\.(attn\\.in_proj_weight|attn\\.out_proj\\.weight|mlp\\.c_fc\\.weight|mlp\\.c_proj\\.weight)");

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
                        (int) shape[1], (int) shape[0], 1, LbwBlock.BASE, false, module));
                continue;
            }
            for (OpenClipModule m : shape.length == 2 ? openClipModules(rest, shape[0]) : List.<OpenClipModule>of()) {
                int rows = m.rowStart() < 0 ? (int) shape[0] : m.rowEnd() - m.rowStart();
                out.add(new LoraTarget(prefix + m.hfPath().replace('.', '_'), e.getKey(), m.rowStart(), m.rowEnd(),
                        LayerKind.LINEAR, (int) shape[1], rows, 1, LbwBlock.BASE, false, m.hfPath()));
            }
        }
        return out;
    }

    /** A kohya text module inside an OpenCLIP weight: its transformers path and rows (-1, -1: all). */
    private record OpenClipModule(String hfPath, int rowStart, int rowEnd) {}

    /**
     * The modules kohya's HF view of an OpenCLIP tower puts on {@code rest} (a key below the tower's
     * prefix with {@code rows} rows): q/k/v on the thirds of {@code attn.in_proj_weight}, out_proj,
     * fc1 = c_fc, fc2 = c_proj; none for other keys.
     */
    private static List<OpenClipModule> openClipModules(String rest, long rows) {
        Matcher oc = OPEN_CLIP_TEXT.matcher(rest);
        if (!oc.matches()) {
            return List.of();
        }
        String layer = "text_model.encoder.layers." + oc.group(1) + ".";
        return switch (oc.group(2)) {
            case "attn.in_proj_weight" -> {
                int third = (int) rows / 3;
                yield List.of(new OpenClipModule(layer + "self_attn.q_proj", 0, third),
                        new OpenClipModule(layer + "self_attn.k_proj", third, 2 * third),
                        new OpenClipModule(layer + "self_attn.v_proj", 2 * third, 3 * third));
            }
            case "attn.out_proj.weight" -> List.of(new OpenClipModule(layer + "self_attn.out_proj", -1, -1));
            case "mlp.c_fc.weight" -> List.of(new OpenClipModule(layer + "mlp.fc1", -1, -1));
            default -> List.of(new OpenClipModule(layer + "mlp.fc2", -1, -1));
        };
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
        LbwBlock block = LbwBlock.ofCheckpointKey(key).orElseThrow();
        int stride = d.contains(".downsamplers.") ? 2 : 1;
        return Optional.of(new LoraTarget("lora_unet_" + module.replace('.', '_'), key, -1, -1, kind,
                (int) shape[1], (int) shape[0], stride, block, !transformer, module));
    }
}
