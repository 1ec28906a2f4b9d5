package dev.bakehouse.train.run;

import dev.bakehouse.tensor.DType;
import dev.bakehouse.train.config.SamplingOptions;
import dev.bakehouse.train.config.SavingOptions;
import dev.bakehouse.train.save.CheckpointNames;
import java.util.OptionalInt;

/**
 * When kohya's loop saves, samples and prunes: {@code save_every_n_epochs} (never for the last
 * epoch, which gets the final file), {@code save_every_n_steps}, {@code save_last_n_*} and their
 * {@code _state} variants, {@code sample_every_n_epochs} (which, when set, silences
 * {@code sample_every_n_steps}, as kohya does).
 */
final class SaveSchedule {
    private final SavingOptions saving;
    private final SamplingOptions sampling;
    private final int epochs;

    SaveSchedule(SavingOptions saving, SamplingOptions sampling, int epochs) {
        this.saving = saving;
        this.sampling = sampling;
        this.epochs = epochs;
    }

    boolean saveAtStep(long step) {
        return saving.saveEveryNSteps() != null && step % saving.saveEveryNSteps() == 0;
    }

    boolean saveAtEpochEnd(int epoch) {
        return saving.saveEveryNEpochs() != null && epoch % saving.saveEveryNEpochs() == 0 && epoch < epochs;
    }

    boolean saveState() {
        return saving.saveState();
    }

    OptionalInt stepFileToRemove(long step) {
        return saving.saveEveryNSteps() == null ? OptionalInt.empty()
                : CheckpointNames.stepToRemove((int) step, saving.saveEveryNSteps(), saving.saveLastNSteps());
    }

    OptionalInt stepStateToRemove(long step) {
        Integer n = saving.saveLastNStepsState() != null ? saving.saveLastNStepsState() : saving.saveLastNSteps();
        return saving.saveEveryNSteps() == null ? OptionalInt.empty()
                : CheckpointNames.stepToRemove((int) step, saving.saveEveryNSteps(), n);
    }

    OptionalInt epochFileToRemove(int epoch) {
        return CheckpointNames.epochToRemove(epoch, saving.saveEveryNEpochs(), saving.saveLastNEpochs());
    }

    OptionalInt epochStateToRemove(int epoch) {
        Integer n = saving.saveLastNEpochsState() != null ? saving.saveLastNEpochsState() : saving.saveLastNEpochs();
        return CheckpointNames.epochToRemove(epoch, saving.saveEveryNEpochs(), n);
    }

    boolean sampleAtStep(long step) {
        return sampling.samplePrompts() != null && sampling.sampleEveryNEpochs() == null
                && sampling.sampleEveryNSteps() != null && step % sampling.sampleEveryNSteps() == 0;
    }

    boolean sampleAtEpochEnd(int epoch) {
        return sampling.samplePrompts() != null && sampling.sampleEveryNEpochs() != null
                && epoch % sampling.sampleEveryNEpochs() == 0;
    }

    /** kohya's {@code save_precision}: none or float writes float32. */
    DType savePrecision() {
        if (saving.savePrecision() == null) {
            return DType.F32;
        }
        return switch (saving.savePrecision().kohyaName()) {
            case "fp16" -> DType.F16;
            case "bf16" -> DType.BF16;
            default -> DType.F32;
        };
    }
}
