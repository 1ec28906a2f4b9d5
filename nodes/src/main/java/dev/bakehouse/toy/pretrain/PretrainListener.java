package dev.bakehouse.toy.pretrain;

/** What a pretraining run reports: the CLI turns it into a progress bar, tests record it. */
public interface PretrainListener {
    enum Phase {
        /** The autoencoder, from scratch on generated scenes. */
        VAE,
        /** Encoding the diffusion dataset with the frozen VAE (the latent cache). */
        LATENTS,
        /** Text encoder and UNet jointly on the diffusion loss. */
        DIFFUSION
    }

    /**
     * One finished optimizer step (or, for {@link Phase#LATENTS}, one encoded chunk).
     *
     * @param step          1-based steps done in this phase
     * @param loss          the step's loss (NaN for LATENTS)
     * @param detail        the loss's parts, for the progress line ("l1 0.041 kl 812"), may be empty
     * @param stepsPerSecond over this session's steps of the phase
     * @param etaSeconds    to the end of the phase at that rate
     */
    record Progress(Phase phase, long step, long totalSteps, double loss, String detail, double stepsPerSecond,
                    double etaSeconds) {}

    void progress(Progress p);

    /** A line worth showing: phase started, progress saved, model written. */
    void message(String line);

    PretrainListener NONE = new PretrainListener() {
        @Override
        public void progress(Progress p) {}

        @Override
        public void message(String line) {}
    };
}
