package dev.bakehouse.train.config;

/**
 * Bakehouse's EMA of the LoRA weights ({@code --ema_decay}, {@code --ema_update_every},
 * {@code --ema_warmup}); off unless {@code ema_decay} is given.
 *
 * @param decay       the EMA decay in (0, 1), or null when off
 * @param updateEvery optimizer steps between EMA updates (at least 1)
 * @param warmup      whether the decay ramps up as diffusers' EMAModel does without inv_gamma:
 *                    min(decay, (1 + k) / (10 + k)) at the k-th update (k from 0)
 */
public record EmaOptions(Double decay, int updateEvery, boolean warmup) {
    public EmaOptions {
        if (decay != null && !(decay > 0 && decay < 1)) {
            throw new ArgError("--ema_decay must be in (0, 1) (e.g. 0.999), found " + decay);
        }
        if (updateEvery < 1) {
            throw new ArgError("--ema_update_every must be at least 1, found " + updateEvery);
        }
    }

    public static EmaOptions off() {
        return new EmaOptions(null, 1, false);
    }

    /** The EMA options of a parsed command line. */
    public static EmaOptions of(TrainNetworkArgs args) {
        return from(new OptionValues(args.given()));
    }

    static EmaOptions from(OptionValues v) {
        return new EmaOptions(v.optionalReal("ema_decay"), v.integer("ema_update_every"), v.flag("ema_warmup"));
    }

    public boolean enabled() {
        return decay != null;
    }
}
