package dev.bakehouse.train.run;

import java.nio.file.Path;

/**
 * The child JVM of {@link KillDuringSaveTest}: trains the tiny model with a LoRA file and a state
 * folder at every step, printing {@code SAVED <file>} after each LoRA save and {@code MSG <line>}
 * for each trainer message, until it is killed or the steps run out.
 * Arguments: data dir, output dir, max_train_steps.
 */
public final class KillSafetyChild {
    private KillSafetyChild() {}

    public static void main(String[] args) throws Exception {
        try (TinyTrainingRun tiny = new TinyTrainingRun()) {
            tiny.train(TinyTrainingRun.args(Path.of(args[0]), Path.of(args[1]), "--max_train_steps=" + args[2],
                    "--save_every_n_steps=1", "--save_state", "--network_train_unet_only"), new TrainingListener() {
                        @Override
                        public void message(String line) {
                            System.out.println("MSG " + line);
                        }

                        @Override
                        public void step(long step, long maxSteps, StepReport report) {}

                        @Override
                        public void saved(Path file, int epoch, long step) {
                            System.out.println("SAVED " + file);
                        }
                    }, null);
        }
        System.out.println("DONE");
    }
}
