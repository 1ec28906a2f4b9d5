package dev.bakehouse.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * torch.optim.AdamW (single-tensor path): decoupled decay {@code p *= 1 - lr*wd} first, then
 * Adam with the bias corrections folded into the step size and eps added after dividing
 * {@code sqrt(v)} by {@code sqrt(1 - beta2^t)}.
 */
final class AdamW extends AbstractOptimizer {
    record Hyper(double beta1, double beta2, double eps, double weightDecay) {}

    private final Hyper h;

    AdamW(List<ParamGroup> groups, Hyper h, NDManager parent) {
        super(OptimizerType.ADAMW, groups, parent);
        this.h = h;
    }

    @Override
    void update(NDManager step) {
        for (int gi = 0; gi < groups().size(); gi++) {
            double lr = groupLr(gi);
            for (TrainableParam p : groups().get(gi).params()) {
                NDArray grad = gradient(p, step);
                if (grad == null) {
                    continue;
                }
                long t = advanceStep(p);
                NDArray value = p.value();
                NDArray m = zerosState(p, "exp_avg");
                NDArray v = zerosState(p, "exp_avg_sq");
                value.muli((float) (1 - lr * h.weightDecay()));
                // torch's lerp(m, g, w) for w < 0.5 is m + w * (g - m)
                m.addi(grad.sub(m).muli((float) (1 - h.beta1())));
                v.muli((float) h.beta2()).addi(grad.mul(grad).muli((float) (1 - h.beta2())));
                double stepSize = lr / (1 - Math.pow(h.beta1(), t));
                double bc2Sqrt = Math.sqrt(1 - Math.pow(h.beta2(), t));
                NDArray denom = in(step, v.sqrt()).divi((float) bc2Sqrt).addi((float) h.eps());
                value.subi(in(step, m.div(denom)).muli((float) stepSize));
            }
        }
    }

    @Override
    Set<String> fields() {
        return Set.of("exp_avg", "exp_avg_sq");
    }

    @Override
    Map<String, Double> scalarState() {
        return Map.of();
    }

    @Override
    void restoreScalars(OptimizerState state) {
        // the per-parameter step counts are all the scalar state, kept by the base class
    }
}
