/**
 * Noise schedules and samplers for discrete-time epsilon-prediction models (SD 1.x), in
 * k-diffusion's convention, matching ComfyUI's KSampler.
 *
 * <p><b>Convention.</b> The sampling state is {@code x = x0 + sigma * eps} ("variance exploding"
 * scale), {@code sigma = sqrt((1 - alphas_cumprod) / alphas_cumprod)}. The UNet
 * ({@link dev.bakehouse.model.sampling.EpsPredictor}) sees {@code x * c_in} with
 * {@code c_in = 1/sqrt(sigma^2 + 1)} (= the DDPM latent) and the integer timestep whose log-sigma
 * is nearest (ComfyUI); it returns eps, and {@code denoised = x - sigma * eps}
 * ({@link dev.bakehouse.model.sampling.GuidedDenoiser}, with classifier-free guidance on denoised,
 * cond and uncond in one batch). Samplers ({@link dev.bakehouse.model.sampling.Sampler}) only
 * see {@link dev.bakehouse.model.sampling.Denoiser}: (x, sigma) -> denoised.
 *
 * <p><b>Noise.</b> Starting noise: libtorch's CPU generator seeded with the unsigned 64-bit seed,
 * one {@code randn} of the latent shape, then {@code x = latent + noise * sigma_0} (or
 * {@code noise * sqrt(1 + sigma_0^2)} when starting at sigma_max), as ComfyUI does. Ancestral
 * noise: the k-th draw of a generator seeded with the same seed ({@link
 * dev.bakehouse.model.sampling.TorchNoise}). Every stochastic sampler here
 * ({@code euler_ancestral}, {@code dpm_2_ancestral}, {@code dpmpp_2s_ancestral}, {@code ddpm},
 * {@code lcm}) draws at most once per step, and ComfyUI's twin draws exactly once in every step
 * that ends above sigma 0, so step i asks its {@link dev.bakehouse.model.sampling.NoiseSource}
 * for draw i and the sequences agree.
 *
 * <p><b>Memory.</b> Every step runs in a child NDManager of the run's manager; only the new x
 * (and a sampler's carried state) leaves it.
 *
 * <p>Conformance: every schedule array of {@code shared/fixtures/sd15-tiny/cases.safetensors}.
 */
package dev.bakehouse.model.sampling;
