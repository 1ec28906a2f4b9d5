package dev.bakehouse.train.config;

/**
 * Sample images during training. Each component is the {@code train_network.py} option of the same name in
 * snake_case, with kohya's default; {@code null} where kohya's default is {@code None}. Generated from
 * sd-scripts 48d368fa's argparse declarations; {@link KohyaOptions} holds names, types and status.
 */
public record SamplingOptions(
        Integer sampleEveryNSteps,
        boolean sampleAtFirst,
        Integer sampleEveryNEpochs,
        String samplePrompts,
        KohyaChoices.SampleSampler sampleSampler) {

    static SamplingOptions from(OptionValues v) {
        return new SamplingOptions(
                v.optionalInteger("sample_every_n_steps"),
                v.flag("sample_at_first"),
                v.optionalInteger("sample_every_n_epochs"),
                v.string("sample_prompts"),
                v.choice("sample_sampler", KohyaChoices.SampleSampler::of));
    }
}
