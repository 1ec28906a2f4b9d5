package dev.bakehouse.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * prodigyopt 1.1.2 {@code Prodigy}. {@code p0} is each tensor at its first step, so d first
 * moves at step 2; pass 1 uses the old d everywhere ({@code dlr = d*lr*bias_correction}); the new
 * d enters only the denominator's {@code d*eps} in pass 2. A step where every group has lr 0
 * initialises the state and returns before anything moves (first update of a warmup).
 */
final class Prodigy extends AbstractOptimizer {
    record Hyper(double beta1, double beta2, Double beta3, double eps, double weightDecay, boolean decouple,
                 boolean useBiasCorrection, boolean safeguardWarmup, double d0, double dCoef, double growthRate,
                 long sliceP) {}

    private final Hyper h;
    private double d;
    private double dMax;
    private double dNumerator;
    private double dHat;
    private double dDenom;
    private long k;

    Prodigy(List<ParamGroup> groups, Hyper h, NDManager parent) {
        super(OptimizerType.PRODIGY, groups, parent);
        DAdaptation.requireOneLr(type(), groups);
        this.h = h;
        this.d = h.d0();
        this.dMax = h.d0();
    }

    private NDArray sliced(NDArray a, NDManager step) {
        NDArray flat = in(step, a.flatten());
        return h.sliceP() == 1 ? flat : flat.get(new NDIndex("::" + h.sliceP()));
    }

    // Kept as one method (~75 lines) so it reads side by side with the upstream step(): its two
    // passes share the old d, dlr and the skip rule, and splitting them would hide that order.
    @Override
    void update(NDManager step) {
        double lr = DAdaptation.maxLr(this);
        double beta3 = h.beta3() != null ? h.beta3() : Math.sqrt(h.beta2());
        double bc = h.useBiasCorrection()
                ? Math.sqrt(1 - Math.pow(h.beta2(), k + 1)) / (1 - Math.pow(h.beta1(), k + 1)) : 1;
        double dlr = d * lr * bc;
        double numerator = dNumerator * beta3;
        double delta = 0;
        double denomSum = 0;
        List<TrainableParam> stepped = new ArrayList<>();
        List<NDArray> grads = new ArrayList<>();
        for (int gi = 0; gi < groups().size(); gi++) {
            double groupLr = groupLr(gi);
            for (TrainableParam p : groups().get(gi).params()) {
                NDArray grad = gradient(p, step);
                if (grad == null) {
                    continue;
                }
                NDArray value = p.value();
                NDArray g = !h.decouple() && h.weightDecay() != 0
                        ? grad.add(in(step, value.mul((float) h.weightDecay()))) : grad;
                stepped.add(p);
                grads.add(g);
                NDArray s = state(p, "s", () -> sliced(value, step).zerosLike());
                // an all-zero tensor (kohya's lora_up) keeps a 0-dim zero as p0
                NDArray p0 = state(p, "p0", () -> in(step, value.abs()).sum().getFloat() != 0
                        ? sliced(value, step).duplicate() : step.create(0f));
                NDArray m = h.beta1() > 0 ? zerosState(p, "exp_avg") : null;
                NDArray v = zerosState(p, "exp_avg_sq");
                if (groupLr <= 0) {
                    continue;
                }
                NDArray sg = h.sliceP() == 1 ? g.flatten() : g.flatten().get(new NDIndex("::" + h.sliceP()));
                delta += (d / h.d0()) * dlr * sg.dot(in(step, p0.sub(sliced(value, step)))).getFloat();
                if (m != null) {
                    m.muli((float) h.beta1()).addi(g.mul((float) (d * (1 - h.beta1()))));
                }
                v.muli((float) h.beta2()).addi(g.mul(g).muli((float) (d * d * (1 - h.beta2()))));
                double sScale = (d / h.d0()) * (h.safeguardWarmup() ? d : dlr);
                s.muli((float) beta3).addi(sg.mul((float) sScale));
                denomSum += in(step, s.abs()).sum().getFloat();
            }
        }
        if (denomSum == 0) {
            return;
        }
        double globalNumerator = numerator + delta;
        if (lr > 0) {
            dHat = h.dCoef() * globalNumerator / denomSum;
            if (d == h.d0()) {
                d = Math.max(d, dHat);
            }
            dMax = Math.max(dMax, dHat);
            d = Math.min(dMax, d * h.growthRate());
        }
        dNumerator = globalNumerator;
        dDenom = denomSum;
        for (int i = 0; i < stepped.size(); i++) {
            TrainableParam p = stepped.get(i);
            NDArray value = p.value();
            advanceStep(p);
            NDArray denom = in(step, existingState(p, "exp_avg_sq").sqrt()).addi((float) (d * h.eps()));
            if (h.weightDecay() != 0 && h.decouple()) {
                value.addi(in(step, value.mul((float) (-h.weightDecay() * dlr))));
            }
            if (h.beta1() > 0) {
                value.subi(in(step, existingState(p, "exp_avg").div(denom)).muli((float) dlr));
            } else {
                value.subi(grads.get(i).div(denom).muli((float) (dlr * d)));
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
        return Set.of("s", "p0", "exp_avg", "exp_avg_sq");
    }

    @Override
    Map<String, Double> scalarState() {
        return Map.of("d", d, "d_max", dMax, "d_numerator", dNumerator, "d_hat", dHat, "d_denom", dDenom,
                "k", (double) k);
    }

    @Override
    void restoreScalars(OptimizerState state) {
        d = state.scalar("d");
        dMax = state.scalar("d_max");
        dNumerator = state.scalar("d_numerator");
        dHat = state.scalar("d_hat");
        dDenom = state.scalar("d_denom");
        k = (long) state.scalar("k");
    }
}
