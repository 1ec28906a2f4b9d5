package dev.bakehouse.train.run;

import java.util.ArrayList;
import java.util.List;

/** Records what the trainer reports: its messages, and the loss and validation loss of each step. */
final class RecordingListener implements TrainingListener {
    final List<String> lines = new ArrayList<>();
    final List<Double> losses = new ArrayList<>();
    /** NaN on the steps that ran no validation. */
    final List<Double> validation = new ArrayList<>();

    @Override
    public void message(String line) {
        lines.add(line);
    }

    @Override
    public void step(long step, long maxSteps, StepReport report) {
        losses.add(report.loss());
        validation.add(report.validationLoss());
    }
}
