package dev.bakehouse.train.optim;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;

/** Test plumbing: trainable arrays and gradients set exactly through a real backward pass. */
final class OptimizerHarness {
    private OptimizerHarness() {}

    static TrainableParam param(NDManager m, String name, float[] values, long... shape) {
        NDArray a = m.create(values, new Shape(shape));
        a.setRequiresGradient(true);
        return new TrainableParam(name, a);
    }

    /** Makes {@code grads[i]} the gradient of {@code params[i]}: d/dp sum(c*p) = c, exactly. */
    static void setGradients(NDManager m, List<TrainableParam> params, List<float[]> grads) {
        Gradients.zero(params);
        try (NDManager s = m.newSubManager();
             GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = null;
            for (int i = 0; i < params.size(); i++) {
                NDArray c = s.create(grads.get(i), params.get(i).value().getShape());
                NDArray term = c.mul(params.get(i).value()).sum();
                loss = loss == null ? term : loss.add(term);
            }
            gc.backward(loss);
        }
    }
}
