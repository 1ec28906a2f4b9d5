package dev.bakehouse.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * dadaptation 3.2 {@code experimental.DAdaptAdamPreprint}, what kohya's {@code DAdaptation}
 * builds: the preprint's d estimate {@code (sum(s^2/denom)/(1-beta2) - gsq_weighted) / ||s||_1}
 * with s an EMA at rate beta2 (not sqrt(beta2) as in DAdaptAdam) and no bias correction.
 * No reference trajectory covers it; its tests check the estimate's invariants.
 */
final class DAdaptAdamPreprint extends AbstractOptimizer {
    record Hyper(double beta1, double beta2, double eps, double weightDecay, boolean decouple, double d0,
                 double growthRate) {}

    private final Hyper h;
    private double d;
    private double gsqWeighted;
    private long k;

    DAdaptAdamPreprint(List<ParamGroup> groups, Hyper h, NDManager parent) {
        super(OptimizerType.DADAPT_ADAM_PREPRINT, groups, parent);
        DAdaptation.requireOneLr(type(), groups);
        this.h = h;
        this.d = h.d0();
    }

    @Override
    void update(NDManager step) {
        double lr = DAdaptation.maxLr(this);
        double dlr = d * lr;
        double gSq = 0;
        double sksqWeighted = 0;
        double skL1 = 0;
        List<TrainableParam> stepped = new ArrayList<>();
        List<Boolean> decays = new ArrayList<>();
        for (int gi = 0; gi < groups().size(); gi++) {
            double groupLr = groupLr(gi);
            for (TrainableParam p : groups().get(gi).params()) {
                NDArray grad = gradient(p, step);
                if (grad == null) {
                    continue;
                }
                NDArray g = !h.decouple() && h.weightDecay() != 0
                        ? grad.add(in(step, p.value().mul((float) h.weightDecay()))) : grad;
                NDArray s = zerosState(p, "s");
                NDArray m = zerosState(p, "exp_avg");
                NDArray v = zerosState(p, "exp_avg_sq");
                stepped.add(p);
                decays.add(groupLr > 0);
                if (groupLr <= 0) {
                    continue;
                }
                NDArray gg = g.mul(g);
                m.muli((float) h.beta1()).addi(g.mul((float) (dlr * (1 - h.beta1()))));
                v.muli((float) h.beta2()).addi(gg.mul((float) (1 - h.beta2())));
                NDArray denom = in(step, v.sqrt()).addi((float) h.eps());
                gSq += gg.div(denom).sum().getFloat();
                s.muli((float) h.beta2()).addi(g.mul((float) (dlr * (1 - h.beta2()))));
                sksqWeighted += in(step, s.mul(s)).divi(denom).sum().getFloat();
                skL1 += in(step, s.abs()).sum().getFloat();
            }
        }
        double newGsqWeighted = h.beta2() * gsqWeighted + gSq * dlr * dlr * (1 - h.beta2());
        if (skL1 == 0) {
            return;
        }
        if (lr > 0) {
            double dHat = (sksqWeighted / (1 - h.beta2()) - newGsqWeighted) / skL1;
            d = Math.max(d, Math.min(dHat, d * h.growthRate()));
        }
        gsqWeighted = newGsqWeighted;
        for (int i = 0; i < stepped.size(); i++) {
            TrainableParam p = stepped.get(i);
            NDArray denom = in(step, existingState(p, "exp_avg_sq").sqrt()).addi((float) h.eps());
            if (h.weightDecay() != 0 && h.decouple() && decays.get(i)) {
                p.value().addi(in(step, p.value().mul((float) (-h.weightDecay() * dlr))));
            }
            p.value().subi(in(step, existingState(p, "exp_avg").div(denom)));
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
        return Map.of("d", d, "gsq_weighted", gsqWeighted, "k", (double) k);
    }

    @Override
    void restoreScalars(OptimizerState state) {
        d = state.scalar("d");
        gsqWeighted = state.scalar("gsq_weighted");
        k = (long) state.scalar("k");
    }
}
