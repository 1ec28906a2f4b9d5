package dev.bakehouse.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * torch.optim.SGD with {@code nesterov=True}, as kohya's SGDNesterov builds it: coupled decay
 * ({@code d_p = g + wd*p}), the momentum buffer a plain copy of {@code d_p} on its first step,
 * then {@code buf = mu*buf + (1-dampening)*d_p} and {@code p -= lr*(d_p + mu*buf)}.
 */
final class SgdNesterov extends AbstractOptimizer {
    record Hyper(double momentum, double dampening, double weightDecay) {}

    private final Hyper h;

    SgdNesterov(List<ParamGroup> groups, Hyper h, NDManager parent) {
        super(OptimizerType.SGD_NESTEROV, groups, parent);
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
                NDArray dp = h.weightDecay() == 0 ? grad : grad.add(in(step, p.value().mul((float) h.weightDecay())));
                NDArray buf = existingState(p, "momentum_buffer");
                if (buf == null) {
                    buf = state(p, "momentum_buffer", dp::duplicate);
                } else {
                    NDArray add = h.dampening() == 0 ? dp : dp.mul((float) (1 - h.dampening()));
                    buf.muli((float) h.momentum()).addi(add);
                }
                NDArray direction = dp.add(in(step, buf.mul((float) h.momentum())));
                p.value().subi(direction.muli((float) lr));
            }
        }
    }

    @Override
    Set<String> fields() {
        return Set.of("momentum_buffer");
    }

    @Override
    Map<String, Double> scalarState() {
        return Map.of();
    }

    @Override
    void restoreScalars(OptimizerState state) {
        // all of SGD's state is its momentum buffers
    }
}
