package dev.bakehouse.lora.format;

/**
 * One layer kohya's {@code networks.lora} can adapt, as {@code sd15-lora-modules.tsv} lists it.
 *
 * @param loraName        kohya module name ({@code lora_unet_…}, {@code lora_te_…})
 * @param checkpointKey   the single-file weight it modifies
 * @param rowStart        first row of that weight the module covers (OpenCLIP's fused q/k/v
 *                        {@code in_proj_weight}), or -1 for the whole weight
 * @param rowEnd          row after the last, or -1
 * @param stride          2 for the UNet downsamplers, else 1
 * @param lbwBlock        LoRA Block Weight block: BASE, INnn, M00, OUTnn
 * @param convDimOnly     created only when {@code conv_dim} is set (C3Lier), else by default (LierLa)
 * @param module          the module path the name is built from (diffusers path for SD1/SD2 UNets,
 *                        LDM path for SDXL's, transformers CLIP path for text encoders)
 */
public record LoraTarget(String loraName, String checkpointKey, int rowStart, int rowEnd, LayerKind kind,
                         int inDim, int outDim, int stride, LbwBlock lbwBlock, boolean convDimOnly, String module) {

    /** kohya's rank source: {@code conv_dim} for 3x3 convs, {@code network_dim} otherwise. */
    public String rankFrom() {
        return kind == LayerKind.CONV3X3 ? "conv_dim" : "network_dim";
    }

    /** As the fixture tables spell it. */
    public String createdBy() {
        return convDimOnly ? "conv_dim_only(C3Lier)" : "default(LierLa)";
    }
}
