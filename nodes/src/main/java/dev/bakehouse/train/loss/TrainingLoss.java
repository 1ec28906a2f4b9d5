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
        NDArray perSample;
        try (NDArray elementwise = ConditionalLoss.elementwise(pred, target, options.lossType(), huberC);
                NDArray means = meanPerSample(elementwise);
                NDArray w = OwnedArrays.of(pred.getManager(), weights)) {
            perSample = means.mul(w);
        }
        return new Result(perSample, perSample.mean());
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
