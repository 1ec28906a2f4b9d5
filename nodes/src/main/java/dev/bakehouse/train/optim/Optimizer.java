package dev.bakehouse.train.optim;

import java.util.List;
import java.util.Map;

/**
 * One of kohya's optimizers over {@link ParamGroup}s. A training step is: backward pass (fills
 * {@code value.getGradient()}), optional {@link Gradients#clipNorm}, {@link #step()} (updates the
 * values in place, outside any GradientCollector), {@link Gradients#zero}, then
 * {@link #setLrFactor} with the schedule's multiplier for the next update — kohya's
 * {@code optimizer.step(); lr_scheduler.step(); optimizer.zero_grad()}.
 *
 * <p>State tensors live in the optimizer's own manager (a child of the one given at creation);
 * each step's temporaries in a child of that, closed when the step ends. Close the optimizer to
 * free its state.
 */
public interface Optimizer extends AutoCloseable {

    OptimizerType type();

    List<ParamGroup> groups();

    /**
     * The schedule's multiplier for the coming updates: every group's lr becomes
     * {@code baseLr * factor} (torch's LambdaLR). Relative-step Adafactor ignores it.
     */
    void setLrFactor(double factor);

    /** One update of every parameter that has a gradient. */
    void step();

    /** Number of {@link #step()} calls so far. */
    long steps();

    /**
     * Per group, the lr as kohya logs it: {@code baseLr * factor}; for relative-step Adafactor
     * what {@code AdafactorSchedule.get_last_lr()} reports (the lr of the group's first tensor in
     * the last update, {@code initial_lr} before the first).
     */
    double[] lrs();

    /**
     * Other scalars kohya logs: D-Adaptation and Prodigy report {@code d} and {@code d*lr}
     * (per group lr times d, as {@code lr/d*lr/<group>}); empty for the others.
     */
    Map<String, Double> logScalars();

    /** A copy of the full state, for {@code save_state}. */
    OptimizerState state();

    /**
     * Restores a state written by {@link #state()} of the same optimizer type over parameters of
     * the same names and shapes, so that training continues bit for bit.
     *
     * @throws IllegalArgumentException naming the first tensor or scalar that does not fit
     */
    void load(OptimizerState state);

    @Override
    void close();
}
