package dev.bakehouse.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * transformers' Adafactor. Per tensor: the RMS of the tensor before the update feeds this step's
 * lr ({@code max(eps2, RMS) * min(1e-6*t or 1e-2, 1/sqrt(t))} with relative_step and
 * scale_parameter); the second moment is factored into row and column means for tensors of two
 * or more dimensions; the update is clipped to RMS {@code clip_threshold}.
 *
 * @param initialLr kohya's {@code --learning_rate}, what AdafactorSchedule reports before the first step
 */
final class Adafactor extends AbstractOptimizer {
    record Hyper(double eps1, double eps2, double clipThreshold, double decayRate, Double beta1,
                 double weightDecay, boolean scaleParameter, boolean relativeStep, boolean warmupInit) {}

    private final Hyper h;
    private final double initialLr;
    private final Map<String, Double> paramRms = new HashMap<>();

    Adafactor(List<ParamGroup> groups, Hyper h, double initialLr, NDManager parent) {
        super(OptimizerType.ADAFACTOR, groups, parent);
        this.h = h;
        this.initialLr = initialLr;
    }

    private double lrOf(int group, String param) {
        double relStep = groupLr(group);
        long t = paramStep(param);
        if (h.relativeStep()) {
            double minStep = h.warmupInit() ? 1e-6 * t : 1e-2;
            relStep = Math.min(minStep, 1.0 / Math.sqrt(t));
        }
        double scale = h.scaleParameter() ? Math.max(h.eps2(), paramRms.get(param)) : 1.0;
        return scale * relStep;
    }

    @Override
    public double[] lrs() {
        if (!h.relativeStep()) {
            return super.lrs();
        }
        double[] out = new double[groups().size()];
        for (int g = 0; g < out.length; g++) {
            List<TrainableParam> ps = groups().get(g).params();
            out[g] = !ps.isEmpty() && paramStep(ps.get(0).name()) != null ? lrOf(g, ps.get(0).name()) : initialLr;
        }
        return out;
    }

    @Override
    void update(NDManager step) {
        for (int gi = 0; gi < groups().size(); gi++) {
            for (TrainableParam p : groups().get(gi).params()) {
                NDArray grad = gradient(p, step);
                if (grad == null) {
                    continue;
                }
                NDArray value = p.value();
                long t = advanceStep(p);
                paramRms.put(p.name(), (double) rms(value, step));
                double lr = lrOf(gi, p.name());
                double beta2t = 1.0 - Math.pow(t, h.decayRate());
                NDArray sq = grad.square().addi((float) h.eps1());
                NDArray u;
                Shape shape = value.getShape();
                if (shape.dimension() >= 2) {
                    NDArray row = state(p, "exp_avg_sq_row",
                            () -> manager().zeros(shape.slice(0, shape.dimension() - 1), DataType.FLOAT32));
                    NDArray col = state(p, "exp_avg_sq_col", () -> manager().zeros(colShape(shape), DataType.FLOAT32));
                    row.muli((float) beta2t).addi(sq.mean(new int[] {-1}).muli((float) (1 - beta2t)));
                    col.muli((float) beta2t).addi(sq.mean(new int[] {-2}).muli((float) (1 - beta2t)));
                    NDArray rowMean = in(step, row.mean(new int[] {-1}, true));
                    NDArray rFactor = reciprocalSqrt(in(step, row.div(rowMean)).sqrt()).expandDims(-1);
                    NDArray cFactor = reciprocalSqrt(in(step, col.sqrt())).expandDims(-2);
                    u = rFactor.mul(cFactor).muli(grad);
                } else {
                    NDArray v = zerosState(p, "exp_avg_sq");
                    v.muli((float) beta2t).addi(sq.muli((float) (1 - beta2t)));
                    u = reciprocalSqrt(in(step, v.sqrt())).muli(grad);
                }
                float clip = Math.max(rms(u, step) / (float) h.clipThreshold(), 1f);
                u.divi(clip).muli((float) lr);
                if (h.beta1() != null) {
                    NDArray m = zerosState(p, "exp_avg");
                    m.muli((float) (double) h.beta1()).addi(u.muli((float) (1 - h.beta1())));
                    u = m;
                }
                if (h.weightDecay() != 0) {
                    value.addi(in(step, value.mul((float) (-h.weightDecay() * lr))));
                }
                value.subi(u);
            }
        }
    }

    /** 1/x of an array that already holds square roots (torch's rsqrt, up to rounding). */
    private static NDArray reciprocalSqrt(NDArray sqrt) {
        return sqrt.pow(-1);
    }

    private static Shape colShape(Shape s) {
        long[] dims = new long[s.dimension() - 1];
        for (int i = 0; i < s.dimension() - 2; i++) {
            dims[i] = s.get(i);
        }
        dims[dims.length - 1] = s.get(s.dimension() - 1);
        return new Shape(dims);
    }

    /** ||x|| / sqrt(numel) in float32, as the upstream's {@code _rms}. */
    private static float rms(NDArray x, NDManager step) {
        float norm = in(step, x.norm()).getFloat();
        return norm / (float) Math.sqrt(x.size());
    }

    @Override
    Set<String> fields() {
        return Set.of("exp_avg_sq_row", "exp_avg_sq_col", "exp_avg_sq", "exp_avg");
    }

    @Override
    Map<String, Double> scalarState() {
        Map<String, Double> out = new HashMap<>();
        paramRms.forEach((name, r) -> out.put(name + ".RMS", r));
        for (int g = 0; g < groups().size(); g++) {
            for (TrainableParam p : groups().get(g).params()) {
                if (paramStep(p.name()) != null) {
                    out.put(p.name() + ".lr", lrOf(g, p.name()));
                }
            }
        }
        return out;
    }

    @Override
    void restoreScalars(OptimizerState state) {
        paramRms.clear();
        state.scalars().forEach((k, v) -> {
            if (k.endsWith(".RMS")) {
                paramRms.put(k.substring(0, k.length() - 4), v);
            }
        });
    }
}
