package dev.bakehouse.train.run;

import java.nio.file.Path;

/**
 * What a training run tells its caller: the CLI turns it into kohya-style console lines and a
 * progress bar, the TrainLoRA node into WebSocket progress and {@code bakehouse.train} messages.
 * Called on the training thread; implementations must be quick.
 */
public interface TrainingListener {

    /** A line for the user: the plan, notes on options, where files went, how to resume. */
    void message(String line);

    /** After each optimizer update: {@code step} of {@code maxSteps}, with the logged values. */
    void step(long step, long maxSteps, StepReport report);

    /** A LoRA file was written (per epoch, per step, the last, or at an interrupt). */
    default void saved(Path file, int epoch, long step) {}

    /** A sample image was written. */
    default void sampled(Path image, long step) {}

    /**
     * A live request ({@link TrainingControl}) was carried out after update {@code step}:
     * {@code files} are the samples drawn (none without {@code sample_prompts}), the LoRA saved,
     * or for a stop the LoRA so far and the state folder to resume from.
     */
    default void controlled(TrainingControl.Request request, long step, java.util.List<Path> files) {}

    /** The values kohya logs per step. {@code lrs} follow {@code groups}. */
    record StepReport(int epoch, double loss, double averageLoss, java.util.List<String> groups, double[] lrs,
                      double validationLoss, double secondsPerStep) {}

    /** A listener that prints nothing. */
    TrainingListener SILENT = new TrainingListener() {
        @Override
        public void message(String line) {}

        @Override
        public void step(long step, long maxSteps, StepReport report) {}
    };
}
