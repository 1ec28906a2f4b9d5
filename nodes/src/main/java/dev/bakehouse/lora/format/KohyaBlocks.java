package dev.bakehouse.lora.format;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The LoRA Block Weight block (BASE, INnn, M00, OUTnn) of a kohya module name, by the index
 * mapping of sd-scripts {@code get_block_index}: diffusers names (SD1/SD2) map
 * {@code down_blocks_i_*_j} to IN(1+3i+j), downsamplers to IN(3i+3), {@code up_blocks_i_*_j} to
 * OUT(3i+j); LDM names (SDXL) carry the block number themselves. Assumes the two res blocks per
 * level that every SD model has.
 */
public final class KohyaBlocks {
    private KohyaBlocks() {}

    private static final Pattern DOWN = Pattern.compile("lora_unet_down_blocks_(\\d+)_(resnets|attentions|downsamplers)_(\\d+)_.*");
    private static final Pattern UP = Pattern.compile("lora_unet_up_blocks_(\\d+)_(resnets|attentions|upsamplers)_(\\d+)_.*");
    private static final Pattern LDM = Pattern.compile("lora_unet_(input_blocks|output_blocks)_(\\d+)_.*");

    /** The block id, or "?" for a name outside these patterns. */
    public static String blockOf(String moduleName) {
        if (moduleName.startsWith("lora_te")) {
            return "BASE";
        }
        if (moduleName.startsWith("lora_unet_mid_block_") || moduleName.startsWith("lora_unet_middle_block_")) {
            return "M00";
        }
        Matcher m = DOWN.matcher(moduleName);
        if (m.matches()) {
            int i = Integer.parseInt(m.group(1));
            int j = Integer.parseInt(m.group(3));
            return String.format("IN%02d", m.group(2).equals("downsamplers") ? 3 * i + 3 : 1 + 3 * i + j);
        }
        m = UP.matcher(moduleName);
        if (m.matches()) {
            int i = Integer.parseInt(m.group(1));
            int j = Integer.parseInt(m.group(3));
            return String.format("OUT%02d", m.group(2).equals("upsamplers") ? 3 * i + 2 : 3 * i + j);
        }
        m = LDM.matcher(moduleName);
        if (m.matches()) {
            return (m.group(1).equals("input_blocks") ? "IN" : "OUT") + String.format("%02d", Integer.parseInt(m.group(2)));
        }
        return "?";
    }
}
