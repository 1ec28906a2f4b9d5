package dev.bakehouse.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * lion-pytorch 0.2.3 {@code update_fn}: {@code p *= 1 - lr*wd};
 * {@code p -= lr*sign(beta1*m + (1-beta1)*g)}; then {@code m = beta2*m + (1-beta2)*g}.
 */
final class Lion extends AbstractOptimizer {
    record Hyper(double beta1, double beta2, double weightDecay) {}

    private final Hyper h;

    Lion(List<ParamGroup> groups, Hyper h, NDManager parent) {
        super(OptimizerType.LION, groups, parent);
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
                NDArray m = zerosState(p, "exp_avg");
                p.value().muli((float) (1 - lr * h.weightDecay()));
                NDArray direction = in(step, m.mul((float) h.beta1())).addi(grad.mul((float) (1 - h.beta1()))).signi();
                p.value().subi(direction.muli((float) lr));
                m.muli((float) h.beta2()).addi(grad.mul((float) (1 - h.beta2())));
            }
        }
    }

    @Override
    Set<String> fields() {
        return Set.of("exp_avg");
    }

    @Override
    Map<String, Double> scalarState() {
        return Map.of();
    }

    @Override
    void restoreScalars(OptimizerState state) {
        // all of Lion's state is its momentum
    }
}
