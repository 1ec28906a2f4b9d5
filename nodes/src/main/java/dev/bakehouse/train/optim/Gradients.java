package dev.bakehouse.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;

/** What the trainer does to gradients around {@link Optimizer#step()}. */
public final class Gradients {
    private Gradients() {}

    /** Zeroes every gradient in place: DJL accumulates gradients across backward passes. */
    public static void zero(List<TrainableParam> params) {
        for (TrainableParam p : params) {
            if (JniUtils.requiresGrad((PtNDArray) p.value())) {
                JniUtils.zeroGrad((PtNDArray) p.value());
            }
        }
    }

    /**
     * kohya's {@code --max_grad_norm} (train_network.py: {@code accelerator.clip_grad_norm_} before
     * every {@code optimizer.step()} when the value is not 0, whatever the optimizer): the global
     * L2 norm over all gradients; each is scaled in place by
     * {@code min(1, max_norm / (total_norm + 1e-6))}, as torch's {@code clip_grad_norm_} does.
     *
     * @return the total norm before clipping
     */
    public static double clipNorm(List<TrainableParam> params, double maxNorm, NDManager scratch) {
        try (NDManager step = scratch.newSubManager()) {
            List<NDArray> grads = new ArrayList<>();
            double sumSq = 0;
            for (TrainableParam p : params) {
                NDArray g = AbstractOptimizer.gradient(p, step);
                if (g != null) {
                    grads.add(g);
                    float n = g.norm().getFloat();
                    sumSq += (double) n * n;
                }
            }
            double total = (float) Math.sqrt(sumSq);
            double coef = Math.min(1.0, maxNorm / (total + 1e-6));
            for (NDArray g : grads) {
                g.muli((float) coef);
            }
            return total;
        }
    }
}
