/**
 * kohya's training loss as tensor functions, differentiable with respect to the prediction:
 * {@link dev.bakehouse.train.loss.ConditionalLoss} (l2 / l1 / huber / smooth_l1 elementwise),
 * {@link dev.bakehouse.train.loss.HuberThreshold} (the per-sample huber_c schedule),
 * {@link dev.bakehouse.train.loss.LossPostProcessing} (min_snr_gamma and friends as per-sample
 * factors) and {@link dev.bakehouse.train.loss.TrainingLoss}, which composes them in
 * {@code process_batch}'s order; plus {@link dev.bakehouse.train.loss.MaxNormRegularization}
 * ({@code --scale_weight_norms}), applied to LoRA factors after an optimizer step.
 *
 * <p>Per-sample scalars (thresholds, SNR weights) are float64, as kohya computes them in Python or
 * from the schedule; tensors are float32 and join the manager of the prediction.
 */
package dev.bakehouse.train.loss;
