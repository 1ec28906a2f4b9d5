package dev.bakehouse.train.noise;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * kohya's {@code get_noise_noisy_latents_and_timesteps}: the noise, the timesteps and the noisy
 * latents of one batch. Draw order (the contract with {@link TrainingDraws}): normal(latents shape)
 * for the noise; [noise_offset_random_strength: uniform]; noise offset: normal(B, C, 1, 1);
 * [multires: per level pythonRandom then normal]; integers for the timesteps;
 * [ip_noise_gamma_random_strength: uniform]; ip_noise_gamma: normal(latents shape).
 */
public final class TrainingNoise {
    private TrainingNoise() {}

    /**
     * @param noise        the noise added, offset and multires included; the epsilon target
     * @param noisyLatents the UNet input (with ip_noise_gamma: noised with noise + gamma * draw)
     * @param timesteps    integer timestep of each sample
     */
    public record NoisyBatch(NDArray noise, NDArray noisyLatents, long[] timesteps) {
        public NoisyBatch {
            timesteps = timesteps.clone();
        }

        @Override
        public long[] timesteps() {
            return timesteps.clone();
        }
    }

    /** One batch's noise, timesteps and noisy latents; arrays in the latents' manager. */
    public static NoisyBatch sample(NDArray latents, NoiseOptions options, DdpmSchedule schedule, TrainingDraws draws) {
        NDManager manager = latents.getManager();
        Shape shape = latents.getShape();
        NDArray noise = draws.normal(manager, shape);
        if (options.noiseOffsetEnabled()) {
            double offset = options.noiseOffset().getAsDouble();
            if (options.noiseOffsetRandomStrength()) {
                offset *= draws.uniform();
            }
            try (NDArray plain = noise;
                    NDArray draw = draws.normal(manager, new Shape(shape.get(0), shape.get(1), 1, 1))) {
                noise = NoiseOffset.apply(latents, plain, offset, options.adaptiveNoiseScale(), draw);
            }
        }
        if (options.multiresEnabled()) {
            try (NDArray flat = noise) {
                noise = PyramidNoise.apply(flat, options.multiresNoiseIterations().getAsInt(),
                        options.multiresNoiseDiscount(), draws);
            }
        }
        long[] timesteps = sampleTimesteps(options, schedule, (int) shape.get(0), draws);
        NDArray noisy;
        if (options.ipNoiseEnabled()) {
            double strength = options.ipNoiseGamma().getAsDouble();
            if (options.ipNoiseGammaRandomStrength()) {
                strength *= draws.uniform();
            }
            try (NDArray draw = draws.normal(manager, shape);
                    NDArray scaled = draw.mul((float) strength);
                    NDArray perturbed = noise.add(scaled)) {
                noisy = schedule.addNoise(latents, perturbed, timesteps);
            }
        } else {
            noisy = schedule.addNoise(latents, noise, timesteps);
        }
        return new NoisyBatch(noise, noisy, timesteps);
    }

    /**
     * kohya's {@code get_timesteps}: uniform integers in [min_timestep, max_timestep) (defaults 0 and
     * num_train_timesteps), or max_timestep for every sample when the two are equal.
     */
    public static long[] sampleTimesteps(NoiseOptions options, DdpmSchedule schedule, int batch, TrainingDraws draws) {
        int min = options.minTimestep().orElse(0);
        int max = options.maxTimestep().orElse(schedule.numTrainTimesteps());
        if (max > schedule.numTrainTimesteps()) {
            throw new IllegalArgumentException("--max_timestep " + max + " exceeds the schedule's "
                    + schedule.numTrainTimesteps() + " timesteps");
        }
        if (min < max) {
            return draws.integers(min, max, batch);
        }
        long[] fixed = new long[batch];
        Arrays.fill(fixed, max);
        return fixed;
    }
}
