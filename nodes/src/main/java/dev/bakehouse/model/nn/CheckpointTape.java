package dev.bakehouse.model.nn;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/**
 * Gradient checkpointing for DJL, which has no checkpoint function: a model's forward is cut into
 * segments that run without recording a graph, keeping only their inputs; {@link #backward} then
 * walks the segments in reverse, re-runs each from its saved inputs with recording on and
 * backpropagates the gradient its output received (a vector–Jacobian product), which accumulates
 * into the trainable parameters and into the inputs, i.e. into the outputs of earlier segments.
 *
 * <p>Each segment's output is a leaf that requires a gradient, so the caller's loss graph (from
 * the last output) and every later segment deposit their share into it; by the time a segment is
 * recomputed all of its consumers ran, so its output's gradient is complete. Arrays every segment
 * reads ({@link #shared}: the context, silu of the time embedding) enter as detached leaves whose
 * gradient sums over all segments and is passed back to the original once, at the end.
 *
 * <p>Use inside an open {@code GradientCollector}: forward through the model with the tape, compute
 * the loss, {@code gc.backward(loss)}, then {@code tape.backward()}. The saved inputs live in the
 * tape's manager (the step's); each segment's own intermediates live only while it runs.
 */
public final class CheckpointTape {
    private final NDManager manager;
    private final List<ReplayableState> states;
    private final Deque<Runnable> pending = new ArrayDeque<>();

    /**
     * @param manager the step's manager: saved segment inputs and outputs stay there
     * @param states  what the segments' forwards draw from (dropout randomness), replayed on recompute
     */
    public CheckpointTape(NDManager manager, List<ReplayableState> states) {
        this.manager = manager;
        this.states = List.copyOf(states);
    }

    /**
     * An array that many segments read. Segments see a detached leaf; the leaf's summed gradient goes
     * back through {@code x}'s own graph, if it has one, at the end of {@link #backward}.
     */
    public NDArray shared(NDArray x) {
        NDArray leaf = x.stopGradient();
        leaf.attach(manager);
        leaf.setRequiresGradient(true);
        pending.push(() -> {
            PtNDArray grad = JniUtils.getGradient((PtNDArray) leaf);
            if (grad != null) {
                grad.attach(manager);
                backwardIfRecorded(x, grad);
                grad.close();
            }
        });
        return leaf;
    }

    /**
     * Backpropagates {@code grad} through {@code y}'s graph, if it has one: data, or a segment with
     * neither a trainable weight nor an input needing a gradient, has none. This DJL build cannot
     * tell beforehand: its {@code requiresGrad} reports false for every non-leaf result and its
     * grad_fn query crashes the JVM on a tensor without one, so libtorch's own refusal decides.
     */
    private static void backwardIfRecorded(NDArray y, PtNDArray grad) {
        try {
            JniUtils.backward((PtNDArray) y, grad, false, false);
        } catch (EngineException e) {
            if (e.getMessage() == null || !e.getMessage().contains("does not require grad")) {
                throw e;
            }
        }
    }

    /**
     * Runs {@code body} on {@code inputs} without recording; returns its output as a leaf that
     * requires a gradient, and remembers how to recompute it. {@code body} must be a pure function of
     * its inputs, the weights and the replayable states.
     */
    public NDArray segment(List<NDArray> inputs, Function<List<NDArray>, NDArray> body) {
        long[] marks = positions();
        boolean recording = JniUtils.isGradMode();
        NDArray out;
        JniUtils.setGradMode(false);
        try (NDManager child = manager.newSubManager()) {
            inputs.forEach(a -> a.tempAttach(child));
            out = body.apply(inputs);
            out.attach(manager);
        } finally {
            JniUtils.setGradMode(recording);
        }
        out.setRequiresGradient(true);
        NDArray output = out;
        pending.push(() -> recompute(inputs, body, output, marks));
        return out;
    }

    /**
     * After the loss's backward has filled the last output's gradient: recomputes every segment in
     * reverse and chains the gradients down to the parameters and the shared inputs. Needs recording
     * on (an open {@code GradientCollector}: libtorch's grad mode is per thread and cannot tell the
     * two apart); the tape is empty afterwards.
     */
    public void backward() {
        long[] end = positions();
        while (!pending.isEmpty()) {
            pending.pop().run();
        }
        for (int i = 0; i < states.size(); i++) {
            states.get(i).replayFrom(end[i]);
        }
    }

    private void recompute(List<NDArray> inputs, Function<List<NDArray>, NDArray> body, NDArray output, long[] marks) {
        PtNDArray upstream = JniUtils.getGradient((PtNDArray) output);
        if (upstream == null) {
            return; // nothing downstream used this output
        }
        for (int i = 0; i < states.size(); i++) {
            states.get(i).replayFrom(marks[i]);
        }
        try (NDManager child = manager.newSubManager()) {
            upstream.attach(child);
            inputs.forEach(a -> a.tempAttach(child));
            backwardIfRecorded(body.apply(inputs), upstream);
        }
    }

    private long[] positions() {
        long[] p = new long[states.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = states.get(i).position();
        }
        return p;
    }
}
