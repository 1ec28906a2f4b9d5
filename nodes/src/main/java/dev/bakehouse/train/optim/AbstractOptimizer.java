package dev.bakehouse.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.bakehouse.tensor.DType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The plumbing every optimizer shares: the optimizer's own manager for state tensors (named
 * {@code <param>.<field>}), the lr factor, one child manager per step, and state save/restore.
 * Subclasses write only the update rule; scalar arithmetic stays in double and is rounded to
 * float once where it multiplies a tensor, as torch does with Python scalars.
 */
abstract class AbstractOptimizer implements Optimizer {
    private final OptimizerType type;
    private final List<ParamGroup> groups;
    private final NDManager manager;
    private final Map<String, NDArray> tensors = new LinkedHashMap<>();
    private final Map<String, TrainableParam> byName = new HashMap<>();
    private final Map<String, Long> paramSteps = new HashMap<>();
    private double lrFactor = 1.0;
    private long steps;

    AbstractOptimizer(OptimizerType type, List<ParamGroup> groups, NDManager parent) {
        this.type = type;
        this.groups = List.copyOf(groups);
        for (ParamGroup g : groups) {
            for (TrainableParam p : g.params()) {
                if (byName.put(p.name(), p) != null) {
                    throw new IllegalArgumentException(type.kohyaName() + ": parameter '" + p.name()
                            + "' appears twice in the param groups");
                }
                if (p.value().getDataType() != DataType.FLOAT32) {
                    throw new IllegalArgumentException(type.kohyaName() + ": parameter '" + p.name()
                            + "' is " + p.value().getDataType() + ", expected float32 (trainable weights train in fp32)");
                }
            }
        }
        this.manager = parent.newSubManager();
    }

    @Override
    public final OptimizerType type() {
        return type;
    }

    @Override
    public final List<ParamGroup> groups() {
        return groups;
    }

    @Override
    public void setLrFactor(double factor) {
        this.lrFactor = factor;
    }

    final double lrFactor() {
        return lrFactor;
    }

    /** The lr of group {@code g} for the coming update. */
    final double groupLr(int g) {
        return groups.get(g).baseLr() * lrFactor;
    }

    /**
     * Updates the parameters in place with grad mode off, as PyTorch's optimizers run their step
     * under {@code no_grad}: libtorch's grad mode is per thread and on by default on threads DJL did
     * not start, where an in-place update of a leaf that requires grad is refused.
     */
    @Override
    public final void step() {
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager step = manager.newSubManager()) {
            update(step);
        } finally {
            JniUtils.setGradMode(gradMode);
        }
        steps++;
    }

    @Override
    public final long steps() {
        return steps;
    }

    /** One update; every temporary must end up in {@code step}. */
    abstract void update(NDManager step);

    @Override
    public double[] lrs() {
        double[] out = new double[groups.size()];
        for (int g = 0; g < out.length; g++) {
            out[g] = groupLr(g);
        }
        return out;
    }

    @Override
    public Map<String, Double> logScalars() {
        return Map.of();
    }

    /** The parameter's gradient in {@code step}, or null when it has none (torch's {@code p.grad is None}). */
    static NDArray gradient(TrainableParam p, NDManager step) {
        PtNDArray g = JniUtils.getGradient((PtNDArray) p.value());
        if (g == null) {
            return null;
        }
        g.attach(step);
        return g;
    }

    /** Moves a temporary that landed in a long-lived manager (first-operand rule) into {@code step}. */
    static NDArray in(NDManager step, NDArray a) {
        a.attach(step);
        return a;
    }

    /** A state tensor, created as zeros shaped like the parameter on first use. */
    final NDArray zerosState(TrainableParam p, String field) {
        return tensors.computeIfAbsent(key(p, field), k -> manager.zeros(p.value().getShape(), DataType.FLOAT32));
    }

    /** A state tensor created from {@code init} (moved into the optimizer's manager) on first use. */
    final NDArray state(TrainableParam p, String field, java.util.function.Supplier<NDArray> init) {
        return tensors.computeIfAbsent(key(p, field), k -> {
            NDArray a = init.get();
            a.attach(manager);
            return a;
        });
    }

    /** Counts one more update of {@code p} (torch's per-parameter {@code state["step"]}) and returns it. */
    final long advanceStep(TrainableParam p) {
        return paramSteps.merge(p.name(), 1L, Long::sum);
    }

    /** Updates of the parameter so far, or null before its first. */
    final Long paramStep(String name) {
        return paramSteps.get(name);
    }

    final NDArray existingState(TrainableParam p, String field) {
        return tensors.get(key(p, field));
    }

    final NDManager manager() {
        return manager;
    }

    private static String key(TrainableParam p, String field) {
        return p.name() + "." + field;
    }

    /** The state fields this optimizer keeps per parameter (for validating a loaded state). */
    abstract Set<String> fields();

    /** Scalar bookkeeping beyond the step count and lr factor. */
    abstract Map<String, Double> scalarState();

    abstract void restoreScalars(OptimizerState state);

    @Override
    public final OptimizerState state() {
        Map<String, OptimizerState.Tensor> out = new LinkedHashMap<>();
        tensors.forEach((name, a) -> {
            ByteBuffer buf = a.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            byte[] data = new byte[buf.remaining()];
            buf.get(data);
            out.put(name, new OptimizerState.Tensor(dtypeOf(a), a.getShape().getShape(), data));
        });
        Map<String, Double> scalars = new LinkedHashMap<>(scalarState());
        paramSteps.forEach((name, t) -> scalars.put(name + ".step", t.doubleValue()));
        scalars.put("steps", (double) steps);
        scalars.put("lr_factor", lrFactor);
        return new OptimizerState(type.kohyaName(), out, scalars);
    }

    @Override
    public final void load(OptimizerState state) {
        if (!state.optimizer().equals(type.kohyaName())) {
            throw new IllegalArgumentException("optimizer state was written by " + state.optimizer()
                    + ", cannot load it into " + type.kohyaName());
        }
        Map<String, NDArray> loaded = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, OptimizerState.Tensor> e : state.tensors().entrySet()) {
                String name = e.getKey();
                int dot = name.lastIndexOf('.');
                TrainableParam p = dot < 0 ? null : byName.get(name.substring(0, dot));
                if (p == null || !fields().contains(name.substring(dot + 1))) {
                    throw new IllegalArgumentException("optimizer state tensor '" + name + "' names no parameter"
                            + " field of this " + type.kohyaName() + " (fields " + fields() + ")");
                }
                OptimizerState.Tensor t = e.getValue();
                loaded.put(name, manager.create(ByteBuffer.wrap(t.data()).order(ByteOrder.nativeOrder()),
                        new Shape(t.shape()), dataTypeOf(t.dtype())));
            }
            restoreScalars(state);
        } catch (RuntimeException e) {
            loaded.values().forEach(NDArray::close);
            throw e;
        }
        tensors.values().forEach(NDArray::close);
        tensors.clear();
        tensors.putAll(loaded);
        paramSteps.clear();
        state.scalars().forEach((k, v) -> {
            if (k.endsWith(".step") && byName.containsKey(k.substring(0, k.length() - 5))) {
                paramSteps.put(k.substring(0, k.length() - 5), v.longValue());
            }
        });
        steps = (long) state.scalar("steps");
        lrFactor = state.scalar("lr_factor");
    }

    @Override
    public void close() {
        manager.close();
    }

    private static DType dtypeOf(NDArray a) {
        return switch (a.getDataType()) {
            case FLOAT32 -> DType.F32;
            case UINT8 -> DType.U8;
            default -> throw new IllegalStateException("unexpected optimizer state dtype " + a.getDataType());
        };
    }

    private static DataType dataTypeOf(DType d) {
        return switch (d) {
            case F32 -> DataType.FLOAT32;
            case U8 -> DataType.UINT8;
            default -> throw new IllegalArgumentException("optimizer state tensors are F32 or U8, found " + d);
        };
    }
}
