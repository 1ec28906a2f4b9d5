package dev.bakehouse.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * dadaptation 3.2 {@code DAdaptLion}: one pass per tensor that moves the parameter with the old
 * {@code dlr = d*lr} while gathering the statistics, then {@code d = max(d, d_hat)}. Groups with
 * lr 0 are not skipped (the upstream does not skip them either).
 */
final class DAdaptLion extends AbstractOptimizer {
    record Hyper(double beta1, double beta2, double weightDecay, double d0) {}

    private final Hyper h;
    private double d;
    private double numeratorWeighted;
    private long k;

    DAdaptLion(List<ParamGroup> groups, Hyper h, NDManager parent) {
        super(OptimizerType.DADAPT_LION, groups, parent);
        DAdaptation.requireOneLr(type(), groups);
        this.h = h;
        this.d = h.d0();
    }

    @Override
    void update(NDManager step) {
        double lr = DAdaptation.maxLr(this);
        double dlr = d * lr;
        double sqrtBeta2 = Math.sqrt(h.beta2());
        double numeratorAcum = 0;
        double skL1 = 0;
        for (ParamGroup group : groups()) {
            for (TrainableParam p : group.params()) {
                NDArray grad = gradient(p, step);
                if (grad == null) {
                    continue;
                }
                NDArray m = zerosState(p, "exp_avg");
                NDArray s = zerosState(p, "s");
                NDArray value = p.value();
                value.muli((float) (1 - dlr * h.weightDecay()));
                NDArray u = in(step, m.mul((float) h.beta1())).addi(grad.mul((float) (1 - h.beta1()))).signi();
                value.subi(u.mul((float) dlr));
                m.muli((float) h.beta2()).addi(grad.mul((float) ((1 - h.beta2()) * dlr)));
                numeratorAcum += dlr * u.flatten().dot(in(step, s.flatten())).getFloat();
                s.muli((float) sqrtBeta2).addi(u.mul((float) ((1 - sqrtBeta2) * dlr)));
                skL1 += in(step, s.abs()).sum().getFloat();
            }
        }
        if (skL1 == 0) {
            return;
        }
        numeratorWeighted = sqrtBeta2 * numeratorWeighted + (1 - sqrtBeta2) * numeratorAcum;
        if (lr > 0) {
            double dHat = numeratorWeighted / ((1 - sqrtBeta2) * skL1);
            d = Math.max(d, dHat);
        }
        k++;
    }

    @Override
    public Map<String, Double> logScalars() {
        return Map.of("d", d, "d*lr", d * DAdaptation.maxLr(this));
    }

    @Override
    Set<String> fields() {
        return Set.of("exp_avg", "s");
    }

    @Override
    Map<String, Double> scalarState() {
        return Map.of("d", d, "numerator_weighted", numeratorWeighted, "k", (double) k);
    }

    @Override
    void restoreScalars(OptimizerState state) {
        d = state.scalar("d");
        numeratorWeighted = state.scalar("numerator_weighted");
        k = (long) state.scalar("k");
    }
}
