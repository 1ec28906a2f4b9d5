/**
 * Stable Diffusion 1.x (and 2.x-shaped) models on DJL, built from config records and bound to a
 * single-file checkpoint by its own key names.
 *
 * <p>Pipeline: {@link dev.bakehouse.model.Checkpoints} opens a file, {@link dev.bakehouse.model.ModelConfigs}
 * reads or infers the numbers, {@link dev.bakehouse.model.StableDiffusion#load} declares every weight
 * of {@link dev.bakehouse.model.unet.UNet2DCondition}, {@link dev.bakehouse.model.clip.ClipTextModel}
 * and {@link dev.bakehouse.model.vae.AutoencoderKL} in one {@link dev.bakehouse.model.nn.ParamStore},
 * checks all keys and shapes, then reads them (float32, F16/BF16 widened).
 *
 * <p>NDManager hierarchy: the model's base manager owns the weights, the arrays derived from them
 * (fused q/k/v, reshaped norm scales) and constants; a caller runs each step in
 * {@code model.manager().newSubManager()} and closes it; blocks run their own child managers
 * ({@link dev.bakehouse.model.nn.Scope}) so intermediates die with the block. Every op puts the
 * activation first, so results join the step's manager, never the model's.
 *
 * <p>Run-time weight changes (LoRA) go through {@link dev.bakehouse.model.WeightPatcher}, which swaps
 * arrays and restores the originals; the model never learns where a patch came from.
 */
package dev.bakehouse.model;
