package dev.bakehouse.train.config;

/**
 * Bakehouse's preservation terms for tiny datasets: differential output preservation
 * ({@code --dop_weight}, {@code --dop_class_prompt}) and blank-prompt preservation
 * ({@code --blank_preservation_weight}). A weight of 0 (the default) turns its term off.
 *
 * @param dopWeight               weight of the class-prompt term
 * @param dopClassPrompt          the class prompt without the trigger, or null
 * @param blankPreservationWeight weight of the empty-prompt term
 */
public record PreservationOptions(double dopWeight, String dopClassPrompt, double blankPreservationWeight) {
    public PreservationOptions {
        if (!(dopWeight >= 0) || !Double.isFinite(dopWeight)) {
            throw new ArgError("--dop_weight must be a non-negative number (0 = off), found " + dopWeight);
        }
        if (!(blankPreservationWeight >= 0) || !Double.isFinite(blankPreservationWeight)) {
            throw new ArgError("--blank_preservation_weight must be a non-negative number (0 = off), found "
                    + blankPreservationWeight);
        }
        if (dopWeight > 0 && (dopClassPrompt == null || dopClassPrompt.isBlank())) {
            throw new ArgError("--dop_weight " + dopWeight + " needs --dop_class_prompt: the class prompt without the trigger"
                    + " word (e.g. \"a star inside a ring\")");
        }
    }

    public static PreservationOptions off() {
        return new PreservationOptions(0, null, 0);
    }

    /** The preservation options of a parsed command line. */
    public static PreservationOptions of(TrainNetworkArgs args) {
        return from(new OptionValues(args.given()));
    }

    static PreservationOptions from(OptionValues v) {
        return new PreservationOptions(v.real("dop_weight"), v.string("dop_class_prompt"), v.real("blank_preservation_weight"));
    }

    public boolean dopEnabled() {
        return dopWeight > 0;
    }

    public boolean blankEnabled() {
        return blankPreservationWeight > 0;
    }
}
