package dev.bakehouse.train.loss;

import ai.djl.ndarray.NDArray;
import dev.bakehouse.model.nn.OwnedArrays;
import dev.bakehouse.train.noise.DdpmSchedule;

/**
 * The loss of one kohya training step ({@code process_batch}): {@link ConditionalLoss} elementwise,
 * mean over every axis but the batch, times the sample's loss weight ({@code prior_loss_weight} for
 * regularisation images), times {@link LossPostProcessing}'s factor, then the batch mean.
 * Differentiable with respect to the prediction.
 */
public final class TrainingLoss {
    private TrainingLoss() {}

    /**
     * @param perSample (B) the per-sample loss, weights and post-processing included
     * @param loss      0-dim: the mean of perSample, the value to backpropagate
     */
    public record Result(NDArray perSample, NDArray loss) {}

    /**
     * @param pred        the UNet output (B, C, H, W)
     * @param target      the noise, or the velocity with v_parameterization
     * @param timesteps   each sample's timestep
     * @param lossWeights each sample's weight ({@link #lossWeights}); null means all 1
     * @return arrays in pred's manager
     */
    public static Result compute(NDArray pred, NDArray target, long[] timesteps, double[] lossWeights, LossOptions options,
            DdpmSchedule schedule) {
        return compute(pred, target, timesteps, lossWeights, options, schedule, null);
    }

    /**
     * The loss with kohya's masked loss ({@code apply_masked_loss}): the elementwise loss times
     * {@code mask} (B, 1, H, W), the mask at the latent size in [0, 1], before the mean. A mask of
     * ones gives the plain loss; where the mask is 0 the prediction gets no gradient. The mean
     * still divides by every element, as kohya's does.
     *
     * @param mask null for the plain loss
     */
    public static Result compute(NDArray pred, NDArray target, long[] timesteps, double[] lossWeights, LossOptions options,
            DdpmSchedule schedule, NDArray mask) {
        int batch = (int) pred.getShape().get(0);
        if (timesteps.length != batch || (lossWeights != null && lossWeights.length != batch)) {
            throw new IllegalArgumentException("loss: batch of " + batch + " but " + timesteps.length + " timesteps and "
                    + (lossWeights == null ? "no" : lossWeights.length) + " loss weights");
        }
        double[] huberC = options.lossType().usesHuberThreshold() ? HuberThreshold.perSample(options, timesteps, schedule) : null;
        double[] post = LossPostProcessing.factors(options, timesteps, schedule);
        float[] weights = new float[batch];
        for (int b = 0; b < batch; b++) {
            weights[b] = (float) ((lossWeights == null ? 1 : lossWeights[b]) * post[b]);
        }
        if (mask != null && (mask.getShape().dimension() != 4 || mask.getShape().get(0) != batch || mask.getShape().get(1) != 1
                || mask.getShape().get(2) != pred.getShape().get(2) || mask.getShape().get(3) != pred.getShape().get(3))) {
            throw new IllegalArgumentException("loss: the mask is " + mask.getShape() + ", expected (" + batch + ", 1, "
                    + pred.getShape().get(2) + ", " + pred.getShape().get(3) + ")");
        }
        NDArray perSample;
        try (NDArray elementwise = masked(ConditionalLoss.elementwise(pred, target, options.lossType(), huberC), mask);
                NDArray means = meanPerSample(elementwise);
                NDArray w = OwnedArrays.of(pred.getManager(), weights)) {
            perSample = means.mul(w);
        }
        return new Result(perSample, perSample.mean());
    }

    private static NDArray masked(NDArray elementwise, NDArray mask) {
        if (mask == null) {
            return elementwise;
        }
        try (elementwise) {
            return elementwise.mul(mask);
        }
    }

    /** kohya's {@code BaseDataset}: prior_loss_weight for a regularisation image, 1 otherwise. */
    public static double[] lossWeights(boolean[] regularization, double priorLossWeight) {
        if (!(priorLossWeight >= 0) || !Double.isFinite(priorLossWeight)) {
            throw new IllegalArgumentException("--prior_loss_weight must be a non-negative number, found " + priorLossWeight);
        }
        double[] out = new double[regularization.length];
        for (int b = 0; b < out.length; b++) {
            out[b] = regularization[b] ? priorLossWeight : 1.0;
        }
        return out;
    }

    /** Mean over every axis but 0, one axis at a time (several axes at once may throw in this DJL build). */
    static NDArray meanPerSample(NDArray x) {
        if (x.getShape().dimension() < 2) {
            throw new IllegalArgumentException("loss: expected (B, ...) with at least 2 axes, found " + x.getShape());
        }
        NDArray current = x.mean(new int[] {x.getShape().dimension() - 1});
        for (int axis = x.getShape().dimension() - 2; axis >= 1; axis--) {
            try (NDArray previous = current) {
                current = previous.mean(new int[] {axis});
            }
        }
        return current;
    }
}
