package dev.bakehouse.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * dadaptation 3.2 {@code DAdaptAdam}. One shared {@code d}; this step uses the old d in
 * {@code dlr = d*lr*bias_correction}. Pass 1 accumulates the numerator with the old {@code s},
 * updates m (which carries dlr), v and s; then {@code d = max(d, min(d_hat, d*growth_rate))};
 * pass 2 applies decoupled decay and {@code p -= m/(sqrt(v)+eps)}.
 */
final class DAdaptAdam extends AbstractOptimizer {
    record Hyper(double beta1, double beta2, double eps, double weightDecay, boolean decouple,
                 boolean useBiasCorrection, double d0, double growthRate) {}

    private final Hyper h;
    private double d;
    private double numeratorWeighted;
    private long k;

    DAdaptAdam(List<ParamGroup> groups, Hyper h, NDManager parent) {
        super(OptimizerType.DADAPT_ADAM, groups, parent);
        DAdaptation.requireOneLr(type(), groups);
        this.h = h;
        this.d = h.d0();
    }

    @Override
    void update(NDManager step) {
        double lr = DAdaptation.maxLr(this);
        double bc = h.useBiasCorrection()
                ? Math.sqrt(1 - Math.pow(h.beta2(), k + 1)) / (1 - Math.pow(h.beta1(), k + 1)) : 1;
        double dlr = d * lr * bc;
        double sqrtBeta2 = Math.sqrt(h.beta2());
        double numeratorAcum = 0;
        double skL1 = 0;
        List<TrainableParam> stepped = new java.util.ArrayList<>();
        for (int gi = 0; gi < groups().size(); gi++) {
            double groupLr = groupLr(gi);
            for (TrainableParam p : groups().get(gi).params()) {
                NDArray grad = gradient(p, step);
                if (grad == null) {
                    continue;
                }
                NDArray s = zerosState(p, "s");
                NDArray m = zerosState(p, "exp_avg");
                NDArray v = zerosState(p, "exp_avg_sq");
                stepped.add(p);
                if (groupLr <= 0) {
                    continue;
                }
                NDArray g = !h.decouple() && h.weightDecay() != 0
                        ? grad.add(in(step, p.value().mul((float) h.weightDecay()))) : grad;
                NDArray denom = in(step, v.sqrt()).addi((float) h.eps());
                numeratorAcum += dlr * g.flatten().dot(in(step, s.div(denom)).flatten()).getFloat();
                m.muli((float) h.beta1()).addi(g.mul((float) (dlr * (1 - h.beta1()))));
                v.muli((float) h.beta2()).addi(g.mul(g).muli((float) (1 - h.beta2())));
                s.muli((float) sqrtBeta2).addi(g.mul((float) (dlr * (1 - sqrtBeta2))));
                skL1 += in(step, s.abs()).sum().getFloat();
            }
        }
        if (skL1 == 0) {
            return;
        }
        numeratorWeighted = sqrtBeta2 * numeratorWeighted + (1 - sqrtBeta2) * numeratorAcum;
        if (lr > 0) {
            double dHat = numeratorWeighted / ((1 - sqrtBeta2) * skL1);
            d = Math.max(d, Math.min(dHat, d * h.growthRate()));
        }
        for (TrainableParam p : stepped) {
            {
                NDArray denom = in(step, existingState(p, "exp_avg_sq").sqrt()).addi((float) h.eps());
                if (h.weightDecay() != 0 && h.decouple()) {
                    p.value().addi(in(step, p.value().mul((float) (-h.weightDecay() * dlr))));
                }
                p.value().subi(in(step, existingState(p, "exp_avg").div(denom)));
            }
        }
        k++;
    }

    @Override
    public Map<String, Double> logScalars() {
        return Map.of("d", d, "d*lr", d * DAdaptation.maxLr(this));
    }

    @Override
    Set<String> fields() {
        return Set.of("s", "exp_avg", "exp_avg_sq");
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
