package dev.bakehouse.train.config;

/**
 * The base model: which checkpoint and how its text encoder is read. Each component is the {@code train_network.py} option of the same name in
 * snake_case, with kohya's default; {@code null} where kohya's default is {@code None}. Generated from
 * sd-scripts 48d368fa's argparse declarations; {@link KohyaOptions} holds names, types and status.
 */
public record ModelOptions(
        boolean v2,
        boolean vParameterization,
        String pretrainedModelNameOrPath,
        String tokenizerCacheDir,
        Integer maxTokenLength,
        String vae,
        Integer clipSkip,
        boolean noHalfVae) {

    static ModelOptions from(OptionValues v) {
        return new ModelOptions(
                v.flag("v2"),
                v.flag("v_parameterization"),
                v.string("pretrained_model_name_or_path"),
                v.string("tokenizer_cache_dir"),
                v.optionalInteger("max_token_length"),
                v.string("vae"),
                v.optionalInteger("clip_skip"),
                v.flag("no_half_vae"));
    }
}
