/**
 * The noising half of one kohya training step, as pure tensor functions: the DDPM training
 * schedule ({@link dev.bakehouse.train.noise.DdpmSchedule}), timestep sampling, noise offset
 * (plain and adaptive), multires/pyramid noise, input perturbation ({@code ip_noise_gamma}) and
 * their composition in kohya's order ({@link dev.bakehouse.train.noise.TrainingNoise}).
 *
 * <p>Every random number comes from a {@link dev.bakehouse.train.noise.TrainingDraws} passed in,
 * drawn in kohya's order, so tests can feed recorded draws and a trainer owns its seeded source.
 * Results join the manager of the latents (the caller's step manager).
 */
package dev.bakehouse.train.noise;
