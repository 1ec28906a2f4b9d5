package dev.bakehouse.toy.pretrain;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.bakehouse.train.optim.Gradients;
import dev.bakehouse.train.optim.Optimizer;
import dev.bakehouse.train.optim.OptimizerArgs;
import dev.bakehouse.train.optim.OptimizerState;
import dev.bakehouse.train.optim.Optimizers;
import dev.bakehouse.train.optim.ParamGroup;
import dev.bakehouse.train.schedule.LrSchedule;
import java.util.List;

/**
 * One phase's optimizer steps: forward and backward of the phase's loss inside a gradient
 * collector, gradient clipping, AdamW (torch defaults, weight decay 0.01) at the schedule's lr,
 * zeroed gradients. Each step's arrays live in a child of the model's manager, closed when the
 * step ends, so the model's own arrays stay the same in number from step to step.
 */
final class PhaseTrainer implements AutoCloseable {
    /** The loss of step {@code index}, its arrays in {@code step}. */
    interface StepLoss {
        Loss compute(NDManager step, long index);
    }

    /** @param detail the loss's parts for the progress line; may be empty */
    record Loss(NDArray value, String detail) {}

    /** @param detail as {@link Loss#detail()} */
    record Done(double loss, String detail) {}

    private final NDManager modelManager;
    private final TrainableWeights weights;
    private final LrSchedule schedule;
    private final double maxGradNorm;
    private final StepLoss loss;
    private final Optimizer optimizer;

    PhaseTrainer(NDManager modelManager, TrainableWeights weights, List<ParamGroup> groups, LrSchedule schedule,
                 double maxGradNorm, StepLoss loss) {
        this.modelManager = modelManager;
        this.weights = weights;
        this.schedule = schedule;
        this.maxGradNorm = maxGradNorm;
        this.loss = loss;
        this.optimizer = Optimizers.create("AdamW", OptimizerArgs.none(), groups.get(0).baseLr(), groups, modelManager);
    }

    /** Runs update {@code index} (0-based within the phase). */
    Done step(long index) {
        double value;
        String detail;
        try (NDManager step = modelManager.newSubManager()) {
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                weights.beforeForward();
                Loss l = loss.compute(step, index);
                collector.backward(l.value());
                value = l.value().getFloat();
                detail = l.detail();
            }
            if (!Double.isFinite(value)) {
                throw new IllegalStateException("the loss became " + value + " at step " + (index + 1)
                        + "; lower the learning rate");
            }
            if (maxGradNorm > 0) {
                Gradients.clipNorm(weights.all(), maxGradNorm, step);
            }
            optimizer.setLrFactor(schedule.factor(index));
            optimizer.step();
            Gradients.zero(weights.all());
        }
        return new Done(value, detail);
    }

    double[] lrs() {
        return optimizer.lrs();
    }

    List<String> groupNames() {
        return optimizer.groups().stream().map(ParamGroup::name).toList();
    }

    OptimizerState state() {
        return optimizer.state();
    }

    void load(OptimizerState state) {
        optimizer.load(state);
    }

    @Override
    public void close() {
        optimizer.close();
    }
}
