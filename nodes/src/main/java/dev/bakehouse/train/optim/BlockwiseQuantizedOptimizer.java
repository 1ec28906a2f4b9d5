package dev.bakehouse.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * bitsandbytes' 8-bit optimizers as kohya builds them: AdamW8bit, Lion8bit and SGD8bit (kohya's
 * SGDNesterov8bit). Tensors with at least {@code min_8bit_size} (4096) elements keep their state
 * as one byte per element plus one float absmax per {@value DynamicQuantization#BLOCK_SIZE}
 * elements; smaller tensors keep fp32 state, as bitsandbytes does. Each step dequantises the
 * state, applies the update rule of bitsandbytes' kernels in fp32, and quantises the new state
 * with fresh block maxima.
 *
 * <p>bitsandbytes' momentum kernel has no Nesterov term: kohya passes {@code nesterov=True} to
 * SGD8bit, but the update is heavy-ball momentum ({@code buf = mu*buf + g}, first step
 * {@code buf = g}; {@code p -= lr*buf}) with coupled weight decay, and so is this one.
 *
 * <p>Quantisation runs on the host (DJL has no bucketize): fine for LoRA-sized tensors on a CPU.
 */
final class BlockwiseQuantizedOptimizer extends AbstractOptimizer {
    enum Rule { ADAM, LION, MOMENTUM }

    record Hyper(Rule rule, double beta1, double beta2, double eps, double weightDecay, long min8bitSize) {}

    private final Hyper h;

    private BlockwiseQuantizedOptimizer(OptimizerType type, List<ParamGroup> groups, Hyper h, NDManager parent) {
        super(type, groups, parent);
        this.h = h;
    }

    // the keyword arguments of bitsandbytes' AdamW8bit, Lion8bit and SGD8bit constructors
    private static final Set<String> ADAM_KEYS = Set.of("betas", "eps", "weight_decay", "amsgrad", "optim_bits",
            "min_8bit_size", "is_paged");
    private static final Set<String> LION_KEYS = Set.of("betas", "weight_decay", "min_8bit_size", "is_paged");
    private static final Set<String> SGD_KEYS = Set.of("momentum", "dampening", "weight_decay", "min_8bit_size");

    /**
     * The bitsandbytes constructors' defaults. {@code is_paged} (CUDA unified memory) and
     * {@code optim_bits} (AdamW8bit always runs 8-bit) change nothing here and are accepted.
     */
    static BlockwiseQuantizedOptimizer create(OptimizerType type, OptimizerArgs args, List<ParamGroup> groups,
                                              NDManager parent) {
        String name = type.kohyaName();
        Hyper h;
        switch (type) {
            case ADAMW_8BIT -> {
                args.requireKnown(name, ADAM_KEYS);
                args.requireDefault(name, "amsgrad", false, "not implemented");
                double[] b = args.pair("betas", 0.9, 0.999);
                h = new Hyper(Rule.ADAM, b[0], b[1], args.real("eps", 1e-8), args.real("weight_decay", 1e-2),
                        args.integer("min_8bit_size", 4096));
            }
            case LION_8BIT -> {
                args.requireKnown(name, LION_KEYS);
                double[] b = args.pair("betas", 0.9, 0.99);
                h = new Hyper(Rule.LION, b[0], b[1], 0, args.real("weight_decay", 0.0),
                        args.integer("min_8bit_size", 4096));
            }
            case SGD_NESTEROV_8BIT -> {
                args.requireKnown(name, SGD_KEYS);
                OptimizerArgs a = args.withDefault("momentum", 0.9);
                double momentum = a.real("momentum", 0.9);
                if (momentum == 0) {
                    throw new IllegalArgumentException("optimizer_args for " + name
                            + ": momentum=0 is not supported (bitsandbytes SGD8bit needs momentum)");
                }
                if (a.real("dampening", 0) != 0) {
                    throw new IllegalArgumentException("optimizer_args for " + name + ": dampening="
                            + a.real("dampening", 0) + " is not supported: bitsandbytes' 8-bit momentum kernel ignores it");
                }
                h = new Hyper(Rule.MOMENTUM, momentum, 0, 0, a.real("weight_decay", 0.0),
                        a.integer("min_8bit_size", 4096));
            }
            default -> throw new IllegalArgumentException(name + " is not an 8-bit optimizer");
        }
        return new BlockwiseQuantizedOptimizer(type, groups, h, parent);
    }

    private boolean quantized(TrainableParam p) {
        return p.value().size() >= h.min8bitSize();
    }

    private boolean twoStates() {
        return h.rule() == Rule.ADAM;
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
                boolean q = quantized(p);
                NDArray s1 = q ? dequantized(p, "state1", DynamicQuantization.SIGNED, step) : zerosState(p, "state1");
                NDArray s2 = !twoStates() ? null
                        : q ? dequantized(p, "state2", DynamicQuantization.UNSIGNED, step) : zerosState(p, "state2");
                apply(p.value(), grad, s1, s2, lr, t, step);
                if (q) {
                    requantize(p, "state1", s1, DynamicQuantization.SIGNED);
                    if (s2 != null) {
                        requantize(p, "state2", s2, DynamicQuantization.UNSIGNED);
                    }
                }
            }
        }
    }

    /** bitsandbytes' fp32 update rules; {@code s1}/{@code s2} are updated in place. */
    private void apply(NDArray value, NDArray grad, NDArray s1, NDArray s2, double lr, long t, NDManager step) {
        switch (h.rule()) {
            case ADAM -> {
                s1.muli((float) h.beta1()).addi(grad.mul((float) (1 - h.beta1())));
                s2.muli((float) h.beta2()).addi(grad.mul(grad).muli((float) (1 - h.beta2())));
                double c1 = 1 - Math.pow(h.beta1(), t);
                double c2 = Math.sqrt(1 - Math.pow(h.beta2(), t));
                if (h.weightDecay() > 0) {
                    value.muli((float) (1 - lr * h.weightDecay()));
                }
                NDArray denom = in(step, s2.sqrt()).addi((float) (h.eps() * c2));
                value.subi(in(step, s1.div(denom)).muli((float) (lr * c2 / c1)));
            }
            case LION -> {
                if (h.weightDecay() > 0) {
                    value.muli((float) (1 - lr * h.weightDecay()));
                }
                NDArray direction = in(step, s1.mul((float) h.beta1())).addi(grad.mul((float) (1 - h.beta1()))).signi();
                value.subi(direction.muli((float) lr));
                s1.muli((float) h.beta2()).addi(grad.mul((float) (1 - h.beta2())));
            }
            case MOMENTUM -> {
                NDArray g = h.weightDecay() > 0 ? grad.add(in(step, value.mul((float) h.weightDecay()))) : grad;
                if (t == 1) {
                    s1.muli(0f).addi(g);
                } else {
                    s1.muli((float) h.beta1()).addi(g);
                }
                value.subi(in(step, s1.mul((float) lr)));
            }
        }
    }

    private NDArray dequantized(TrainableParam p, String field, DynamicQuantization map, NDManager step) {
        Shape shape = p.value().getShape();
        NDArray codes = state(p, field, () -> manager().zeros(shape, DataType.UINT8));
        NDArray absmax = state(p, "absmax" + field.charAt(field.length() - 1),
                () -> manager().zeros(new Shape(DynamicQuantization.blocks(shape.size())), DataType.FLOAT32));
        return step.create(map.dequantize(codes.toByteArray(), absmax.toFloatArray()), shape);
    }

    private void requantize(TrainableParam p, String field, NDArray values, DynamicQuantization map) {
        NDArray codes = existingState(p, field);
        NDArray absmax = existingState(p, "absmax" + field.charAt(field.length() - 1));
        byte[] c = new byte[(int) codes.size()];
        float[] a = new float[(int) absmax.size()];
        map.quantize(values.toFloatArray(), c, a);
        codes.set(c);
        absmax.set(a);
    }

    @Override
    Set<String> fields() {
        return Set.of("state1", "state2", "absmax1", "absmax2");
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
