package dev.bakehouse.lora.format;

import dev.bakehouse.lora.format.LoraNetwork.KeyStyle;
import dev.bakehouse.tensor.sd.UNetKeyMap;
import java.util.List;
import java.util.Optional;

/**
 * Splits one LoRA file key into a kohya module name and a kohya suffix, whatever naming style the
 * file uses. kohya names are the module path with dots turned into underscores behind a
 * {@code lora_unet_}, {@code lora_te_}, {@code lora_te1_} or {@code lora_te2_} prefix.
 */
final class LoraKeys {
    private LoraKeys() {}

    /** A key split into module and suffix, and the style that named it. */
    record Split(String module, String suffix, KeyStyle style) {}

    private static final List<String> KOHYA_PREFIXES = List.of("lora_unet_", "lora_te_", "lora_te1_", "lora_te2_");

    /** diffusers/PEFT spellings of the down/up pair, most specific first; B/up is the output side. */
    private static final String[][] DIFFUSERS_SUFFIXES = {
        {".lora_A.default.weight", "lora_down.weight"}, {".lora_B.default.weight", "lora_up.weight"},
        {".lora_A.weight", "lora_down.weight"}, {".lora_B.weight", "lora_up.weight"},
        {".lora_linear_layer.down.weight", "lora_down.weight"}, {".lora_linear_layer.up.weight", "lora_up.weight"},
        {".lora.down.weight", "lora_down.weight"}, {".lora.up.weight", "lora_up.weight"},
        {"_lora.down.weight", "lora_down.weight"}, {"_lora.up.weight", "lora_up.weight"},
        {".alpha", "alpha"},
    };

    /** SDXL's UNet: three levels, two res blocks each, attention on levels 1 and 2. */
    private static final UNetKeyMap SDXL_UNET = UNetKeyMap.of(3, 2, java.util.Set.of(1, 2));

    /**
     * Whether a diffusers-style file is for SDXL: it has a second text encoder, or its UNet has
     * attention where only SDXL has it (up_blocks.0) or transformer depth beyond SD1/SD2's one.
     */
    static boolean looksSdxl(java.util.Collection<String> keys) {
        return keys.stream().anyMatch(k -> k.contains("text_encoder_2.") || (k.contains("unet.")
                && (k.contains("up_blocks.0.attentions.") || k.matches(".*transformer_blocks\\.[1-9].*"))));
    }

    /**
     * @param sdxl whether the file is for SDXL: {@code text_encoder.} then means the first encoder
     *             ({@code lora_te1_}) and UNet paths are renamed to the LDM names kohya uses for SDXL
     */
    static Optional<Split> split(String key, boolean sdxl) {
        for (String p : KOHYA_PREFIXES) {
            if (key.startsWith(p)) {
                int dot = key.indexOf('.');
                return dot > p.length() && dot < key.length() - 1
                        ? Optional.of(new Split(key.substring(0, dot), key.substring(dot + 1), KeyStyle.KOHYA))
                        : Optional.empty();
            }
        }
        if (key.startsWith("lycoris_")) {
            int dot = key.indexOf('.');
            return dot > 8 && dot < key.length() - 1
                    ? Optional.of(new Split("lora_unet_" + key.substring(8, dot), key.substring(dot + 1), KeyStyle.LYCORIS_STANDALONE))
                    : Optional.empty();
        }
        return diffusers(key, sdxl);
    }

    private static Optional<Split> diffusers(String key, boolean sdxl) {
        String k = key.startsWith("base_model.model.") ? key.substring("base_model.model.".length()) : key;
        String prefix;
        String rest;
        if (k.startsWith("unet.")) {
            prefix = "lora_unet_";
            rest = k.substring(5);
        } else if (k.startsWith("text_encoder_2.")) {
            prefix = "lora_te2_";
            rest = k.substring("text_encoder_2.".length());
        } else if (k.startsWith("text_encoder.")) {
            prefix = sdxl ? "lora_te1_" : "lora_te_";
            rest = k.substring("text_encoder.".length());
        } else {
            return Optional.empty();
        }
        for (String[] s : DIFFUSERS_SUFFIXES) {
            if (rest.endsWith(s[0])) {
                String path = rest.substring(0, rest.length() - s[0].length());
                // Old attention-processor files: "attn1.processor.to_out_lora" is the layer attn1.to_out.0.
                path = path.replace(".processor.", ".");
                if (s[0].startsWith("_lora") && path.endsWith("to_out")) {
                    path = path + ".0";
                }
                if (sdxl && prefix.equals("lora_unet_")) {
                    String diffusersPath = path;
                    path = SDXL_UNET.toLdm(path + ".weight").map(ldm -> ldm.substring(0, ldm.length() - ".weight".length()))
                            .orElse(diffusersPath);
                }
                return path.isEmpty() ? Optional.empty()
                        : Optional.of(new Split(prefix + path.replace('.', '_'), s[1], KeyStyle.DIFFUSERS));
            }
        }
        return Optional.empty();
    }
}
