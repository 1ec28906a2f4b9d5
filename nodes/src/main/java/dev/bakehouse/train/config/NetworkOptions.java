package dev.bakehouse.train.config;

import java.util.List;

/**
 * The LoRA network: module, rank, alpha, dropout, which parts train, their learning rates. Each component is the {@code train_network.py} option of the same name in
 * snake_case, with kohya's default; {@code null} where kohya's default is {@code None}. Generated from
 * sd-scripts 48d368fa's argparse declarations; {@link KohyaOptions} holds names, types and status.
 */
public record NetworkOptions(
        boolean cpuOffloadCheckpointing,
        Double unetLr,
        List<Double> textEncoderLr,
        boolean fp8BaseUnet,
        String networkWeights,
        String networkModule,
        Integer networkDim,
        double networkAlpha,
        Double networkDropout,
        List<String> networkArgs,
        boolean networkTrainUnetOnly,
        boolean networkTrainTextEncoderOnly,
        boolean dimFromWeights,
        Double scaleWeightNorms,
        List<String> baseWeights,
        List<Double> baseWeightsMultiplier) {

    static NetworkOptions from(OptionValues v) {
        return new NetworkOptions(
                v.flag("cpu_offload_checkpointing"),
                v.optionalReal("unet_lr"),
                v.reals("text_encoder_lr"),
                v.flag("fp8_base_unet"),
                v.string("network_weights"),
                v.string("network_module"),
                v.optionalInteger("network_dim"),
                v.real("network_alpha"),
                v.optionalReal("network_dropout"),
                v.strings("network_args"),
                v.flag("network_train_unet_only"),
                v.flag("network_train_text_encoder_only"),
                v.flag("dim_from_weights"),
                v.optionalReal("scale_weight_norms"),
                v.strings("base_weights"),
                v.reals("base_weights_multiplier"));
    }
}
