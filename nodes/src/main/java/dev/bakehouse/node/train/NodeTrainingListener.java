package dev.bakehouse.node.train;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.node.ExecutionInterruptedException;
import dev.bakehouse.node.NodeContext;
import dev.bakehouse.train.run.TrainingControl;
import dev.bakehouse.train.run.TrainingListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A training run as a node reports it: every update becomes {@code ctx.progress(step, max)} (the
 * frontend's bar) and a {@value #EVENT} event with the step's loss and learning rates (a live
 * chart); each live control carried out becomes a {@value #EVENT} event with an {@code event}
 * field; the trainer's lines go to the server log. An interrupt noticed by the context is turned
 * into the trainer's stop request rather than an exception, so the run saves its state and the
 * LoRA so far before the node ends as interrupted.
 */
final class NodeTrainingListener implements TrainingListener {
    static final String EVENT = "bakehouse.train";
    private static final Logger LOG = LoggerFactory.getLogger(NodeTrainingListener.class);

    private final NodeContext ctx;
    private final Path filesRoot;
    private final List<String> lines = new ArrayList<>();
    private boolean stop;

    /** @param filesRoot the LoRA folder that file names in events are relative to */
    NodeTrainingListener(NodeContext ctx, Path filesRoot) {
        this.ctx = ctx;
        this.filesRoot = filesRoot.toAbsolutePath().normalize();
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

    /**
     * A live control carried out: {@code {"event": "sample" | "save" | "stop", "step", "files"}},
     * the files relative to the LoRA folder (samples, the LoRA saved, or the LoRA and the state
     * folder of a stop).
     */
    @Override
    public void controlled(TrainingControl.Request request, long step, List<Path> files) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("event", request.name().toLowerCase(Locale.ROOT));
        data.put("step", step);
        ArrayNode names = data.putArray("files");
        files.forEach(f -> names.add(name(f)));
        if (request == TrainingControl.Request.SAMPLE && files.isEmpty()) {
            data.put("message", "this run has no sample_prompts: nothing was drawn");
        }
        ctx.send(EVENT, data);
        LOG.info("TrainLoRA {}: {} at step {}: {}", ctx.nodeId(), data.get("event").asText(), step, names);
    }

    /** A file's name relative to the LoRA folder, with forward slashes (as LoRA names are written). */
    String name(Path file) {
        return filesRoot.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    /** Whether the run stopped for an interrupt (rather than a live stop request). */
    boolean interrupted() {
        return stop;
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

    /**
     * A {@value #EVENT} event for the run's end: {@code finished}, {@code reused}, {@code stopped}
     * (interrupted) or {@code kept} (a live stop); {@code lapsed} lists live requests that came
     * after the last step and were not carried out.
     */
    void ended(String status, String message, Set<TrainingControl.Request> lapsed) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("status", status);
        data.put("message", message);
        if (!lapsed.isEmpty()) {
            ArrayNode l = data.putArray("lapsed");
            lapsed.forEach(r -> l.add(r.name().toLowerCase(Locale.ROOT)));
        }
        ctx.send(EVENT, data);
        LOG.info("TrainLoRA {}: {}", ctx.nodeId(), message);
    }

    /** The trainer's lines so far. */
    List<String> lines() {
        return List.copyOf(lines);
    }
}
