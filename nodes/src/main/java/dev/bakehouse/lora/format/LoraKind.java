package dev.bakehouse.lora.format;

import java.util.List;

/**
 * The adapter algorithms found in LoRA files, each recognised by the tensor suffixes it saves
 * (LyCORIS {@code weight_list_det}). Only the first four have a ΔW here; the others are read,
 * kept and reported, never silently dropped.
 */
public enum LoraKind {
    /** kohya LoRA / LyCORIS LoCon (LierLa, C3Lier; optional Tucker {@code lora_mid}). */
    LORA(List.of("lora_up.weight", "lora_down.weight", "lora_mid.weight"), true),
    LOHA(List.of("hada_w1_a", "hada_w1_b", "hada_w2_a", "hada_w2_b", "hada_t1", "hada_t2"), true),
    LOKR(List.of("lokr_w1", "lokr_w1_a", "lokr_w1_b", "lokr_w2", "lokr_w2_a", "lokr_w2_b", "lokr_t1", "lokr_t2"), true),
    /** LyCORIS "full": the weight difference itself. */
    FULL(List.of("diff", "diff_b"), true),
    GLORA(List.of("a1.weight", "a2.weight", "b1.weight", "b2.weight", "bm.weight"), false),
    IA3(List.of("weight", "on_input"), false),
    OFT(List.of("oft_blocks", "rescale"), false),
    NORM(List.of("w_norm", "b_norm"), false);

    /** Suffixes any kind may carry besides its own. */
    public static final List<String> SHARED_SUFFIXES = List.of("alpha", "dora_scale");

    private final List<String> suffixes;
    private final boolean hasDelta;

    LoraKind(List<String> suffixes, boolean hasDelta) {
        this.suffixes = suffixes;
        this.hasDelta = hasDelta;
    }

    public List<String> suffixes() {
        return suffixes;
    }

    /** Whether {@link LoraModule#deltaWeight} supports this kind. */
    public boolean hasDelta() {
        return hasDelta;
    }

    /** The kind whose own suffix this is, or null. */
    public static LoraKind ofSuffix(String suffix) {
        for (LoraKind k : values()) {
            if (k.suffixes.contains(suffix)) {
                return k;
            }
        }
        return null;
    }
}
