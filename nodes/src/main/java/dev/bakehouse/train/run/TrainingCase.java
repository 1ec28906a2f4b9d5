package dev.bakehouse.train.run;

import java.util.List;
import java.util.Objects;

/**
 * One training-step case of the kohya conformance fixtures ({@code sd15-tiny/train-cases.md},
 * {@code train-options.md}): a name and the kohya {@code train_network.py} options that make it,
 * parsed by the same code as a real run. {@link TrainingForwardCheck} computes its loss and the
 * loss's directional derivatives from recorded inputs.
 *
 * @param name        the case name in the fixture's tensor names ({@code loss.<name>}, {@code dd.<name>})
 * @param kohyaArgs   the options that differ from kohya's defaults
 * @param loraActive  false for the reference without LoRA (multiplier 0; no derivative)
 * @param derivative  whether the loss is smooth enough to have directional derivatives (l1 is not)
 */
public record TrainingCase(String name, List<String> kohyaArgs, boolean loraActive, boolean derivative) {
    public TrainingCase {
        Objects.requireNonNull(name, "name");
        kohyaArgs = List.copyOf(kohyaArgs);
    }

    /** A case with the LoRA active and a derivative. */
    public static TrainingCase of(String name, String... kohyaArgs) {
        return new TrainingCase(name, List.of(kohyaArgs), true, true);
    }

    private static final String UNET_ONLY = "--network_train_unet_only";

    /**
     * Every case of train-cases.md and train-options.md, in the fixtures' order. Options are kohya's
     * flags; the text-encoder cases leave out {@code --network_train_unet_only}.
     */
    public static List<TrainingCase> kohyaFixtureCases() {
        return List.of(
                new TrainingCase("no_lora", List.of(UNET_ONLY), false, false),
                of("l2", UNET_ONLY),
                of("min_snr", UNET_ONLY, "--min_snr_gamma=5"),
                of("noise_offset", UNET_ONLY, "--noise_offset=0.1"),
                of("v_pred", UNET_ONLY, "--v_parameterization"),
                of("v_pred_min_snr", UNET_ONLY, "--v_parameterization", "--min_snr_gamma=5"),
                of("te_lora"),
                of("huber_constant", UNET_ONLY, "--loss_type=huber", "--huber_schedule=constant", "--huber_c=0.1"),
                of("huber_exponential", UNET_ONLY, "--loss_type=huber", "--huber_schedule=exponential", "--huber_c=0.1"),
                of("huber_snr", UNET_ONLY, "--loss_type=huber", "--huber_schedule=snr", "--huber_c=0.1"),
                of("smooth_l1_constant", UNET_ONLY, "--loss_type=smooth_l1", "--huber_schedule=constant", "--huber_c=0.1"),
                of("smooth_l1_exponential", UNET_ONLY, "--loss_type=smooth_l1", "--huber_schedule=exponential",
                        "--huber_c=0.1"),
                of("smooth_l1_snr", UNET_ONLY, "--loss_type=smooth_l1", "--huber_schedule=snr", "--huber_c=0.1"),
                of("huber_exponential_scale2", UNET_ONLY, "--loss_type=huber", "--huber_schedule=exponential",
                        "--huber_c=0.1", "--huber_scale=2"),
                of("huber_snr_scale2", UNET_ONLY, "--loss_type=huber", "--huber_schedule=snr", "--huber_c=0.1",
                        "--huber_scale=2"),
                of("huber_snr_min_snr", UNET_ONLY, "--loss_type=huber", "--huber_schedule=snr", "--huber_c=0.1",
                        "--min_snr_gamma=5"),
                new TrainingCase("l1", List.of(UNET_ONLY, "--loss_type=l1"), true, false),
                of("adaptive_noise", UNET_ONLY, "--noise_offset=0.1", "--adaptive_noise_scale=1"),
                of("adaptive_noise_neg", UNET_ONLY, "--noise_offset=0.1", "--adaptive_noise_scale=-1.25"),
                of("multires", UNET_ONLY, "--multires_noise_iterations=6", "--multires_noise_discount=0.3"),
                of("noise_offset_multires", UNET_ONLY, "--noise_offset=0.1", "--multires_noise_iterations=6",
                        "--multires_noise_discount=0.3"),
                of("ip_noise_gamma", UNET_ONLY, "--ip_noise_gamma=0.1"),
                of("clip_skip2", UNET_ONLY, "--clip_skip=2"),
                of("long150", UNET_ONLY, "--max_token_length=150"),
                of("long225", UNET_ONLY, "--max_token_length=225"),
                of("long225_clip_skip2", UNET_ONLY, "--max_token_length=225", "--clip_skip=2"),
                of("prior_loss_weight", UNET_ONLY, "--prior_loss_weight=0.5"),
                of("prior_loss_weight_min_snr", UNET_ONLY, "--prior_loss_weight=0.5", "--min_snr_gamma=5"),
                of("clip_skip2_te_lora", "--clip_skip=2"),
                of("long150_te_lora", "--max_token_length=150"),
                of("long225_te_lora", "--max_token_length=225"));
    }
}
