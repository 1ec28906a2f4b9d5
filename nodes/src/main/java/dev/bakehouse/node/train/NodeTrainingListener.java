package dev.bakehouse.node.train;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.node.ExecutionInterruptedException;
import dev.bakehouse.node.NodeContext;
import dev.bakehouse.train.run.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A training run as a node reports it: every update becomes {@code ctx.progress(step, max)} (the
 * frontend's bar) and a {@value #EVENT} event with the step's loss and learning rates (a live
 * chart); the trainer's lines go to the server log. An interrupt noticed by the context is turned
 * into the trainer's stop request rather than an exception, so the run saves its state and the
 * LoRA so far before the node ends as interrupted.
 */
final class NodeTrainingListener implements TrainingListener {
    static final String EVENT = "bakehouse.train";
    private static final Logger LOG = LoggerFactory.getLogger(NodeTrainingListener.class);

    private final NodeContext ctx;
    private final List<String> lines = new ArrayList<>();
    private boolean stop;

    NodeTrainingListener(NodeContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void message(String line) {
        LOG.info("TrainLoRA {}: {}", ctx.nodeId(), line);
        lines.add(line);
    }

    @Override
    public void step(long step, long maxSteps, StepReport report) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("status", "training");
        data.put("step", step);
        data.put("max_steps", maxSteps);
        data.put("epoch", report.epoch());
        data.put("loss", report.loss());
        data.put("avr_loss", report.averageLoss());
        if (Double.isFinite(report.validationLoss())) { // only on the steps that ran a validation
            data.put("val_loss", report.validationLoss());
        }
        ObjectNode lr = data.putObject("lr");
        for (int i = 0; i < report.groups().size(); i++) {
            lr.put(report.groups().get(i), report.lrs()[i]);
        }
        ctx.send(EVENT, data);
        try {
            ctx.progress(step, maxSteps);
        } catch (ExecutionInterruptedException e) {
            stop = true;
        }
    }

    /** The trainer's stop request: an interrupt reported by the context, now or at the last update. */
    boolean stopRequested() {
        if (!stop) {
            try {
                ctx.checkInterrupted();
            } catch (ExecutionInterruptedException e) {
                stop = true;
            }
        }
        return stop;
    }

    /** A {@value #EVENT} event for the run's end: {@code finished}, {@code reused} or {@code stopped}. */
    void ended(String status, String message) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("status", status);
        data.put("message", message);
        ctx.send(EVENT, data);
        LOG.info("TrainLoRA {}: {}", ctx.nodeId(), message);
    }

    /** The trainer's lines so far. */
    List<String> lines() {
        return List.copyOf(lines);
    }
}
