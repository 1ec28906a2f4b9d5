package dev.bakehouse.train.save;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * kohya's names for what a training run writes into {@code output_dir}, so that tools reading a
 * kohya run folder (and users' habits) find the same files: {@code NAME-000004.safetensors} per
 * epoch, {@code NAME-step00000500.safetensors} per step, {@code NAME.safetensors} at the end, and
 * the state folders beside them ({@code NAME-000004-state}, {@code NAME-step00000500-state},
 * {@code NAME-state}). Without {@code output_name} kohya uses "epoch", "at" and "last".
 */
public final class CheckpointNames {
    private static final String DEFAULT_EPOCH_NAME = "epoch";
    private static final String DEFAULT_STEP_NAME = "at";
    private static final String DEFAULT_LAST_NAME = "last";

    private final String outputName;
    private final String extension;

    /**
     * @param outputName kohya's {@code output_name}, or null
     * @param extension  the file extension without the dot ({@code safetensors})
     */
    public CheckpointNames(String outputName, String extension) {
        this.outputName = outputName == null || outputName.isBlank() ? null : outputName;
        this.extension = Objects.requireNonNull(extension, "extension");
    }

    public String epochFile(int epoch) {
        return String.format("%s-%06d.%s", name(DEFAULT_EPOCH_NAME), epoch, extension);
    }

    public String stepFile(long step) {
        return String.format("%s-step%08d.%s", name(DEFAULT_STEP_NAME), step, extension);
    }

    public String lastFile() {
        return name(DEFAULT_LAST_NAME) + "." + extension;
    }

    public String epochState(int epoch) {
        return String.format("%s-%06d-state", name(DEFAULT_EPOCH_NAME), epoch);
    }

    public String stepState(long step) {
        return String.format("%s-step%08d-state", name(DEFAULT_STEP_NAME), step);
    }

    public String lastState() {
        return name(DEFAULT_LAST_NAME) + "-state";
    }

    private String name(String fallback) {
        return outputName == null ? fallback : outputName;
    }

    /**
     * kohya's {@code get_remove_epoch_no}: after saving epoch {@code epoch}, the epoch file that
     * {@code save_last_n_epochs} no longer keeps.
     */
    public static OptionalInt epochToRemove(int epoch, int saveEveryNEpochs, Integer saveLastNEpochs) {
        if (saveLastNEpochs == null) {
            return OptionalInt.empty();
        }
        int remove = epoch - saveEveryNEpochs * saveLastNEpochs;
        return remove < 0 ? OptionalInt.empty() : OptionalInt.of(remove);
    }

    /**
     * kohya's {@code get_remove_step_no}: after saving step {@code step}, the step file that
     * {@code save_last_n_steps} (a number of steps, not of files) no longer keeps.
     */
    public static OptionalInt stepToRemove(int step, int saveEveryNSteps, Integer saveLastNSteps) {
        if (saveLastNSteps == null) {
            return OptionalInt.empty();
        }
        int remove = step - saveLastNSteps - 1;
        remove -= Math.floorMod(remove, saveEveryNSteps);
        return remove < 0 ? OptionalInt.empty() : OptionalInt.of(remove);
    }
}
