package dev.bakehouse.toy.pretrain;

import dev.bakehouse.model.ModelConfig;
import dev.bakehouse.model.clip.TextEncoderConfig;
import dev.bakehouse.model.unet.UNetConfig;
import dev.bakehouse.model.vae.VaeConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** A pretraining run small enough for unit tests: the toy structure at the narrowest widths, 64 px. */
final class TinyPretraining {
    private TinyPretraining() {}

    static ModelConfig model() {
        return new ModelConfig(
                new UNetConfig(4, 4, 32, List.of(1, 1, 1, 1), 2, List.of(4, 2, 1), 2, -1, 1, 32, false, 32, 1e-5, 1e-6, 1e-5),
                new TextEncoderConfig(49408, 32, 1, 2, 64, 77, "quick_gelu", 1e-5),
                new VaeConfig(3, 3, 32, List.of(1, 1, 1, 1), 1, 4, 4, true, 32, 1e-6, 1.0));
    }

    static PretrainOptions options(int vaeSteps, int diffusionSteps) {
        return new PretrainOptions(model(), 11, 64, vaeSteps, 2, 2e-3, 4, 64, 16, diffusionSteps, 4, 1e-3, 1e-3, 2, 0.1, 5.0,
                1.0, 4, null);
    }

    /** Records every progress report. */
    static final class Recorder implements PretrainListener {
        final List<Progress> steps = new ArrayList<>();
        final List<String> messages = new ArrayList<>();

        @Override
        public void progress(Progress p) {
            steps.add(p);
        }

        @Override
        public void message(String line) {
            messages.add(line);
        }

        List<Double> losses(Phase phase) {
            return steps.stream().filter(p -> p.phase() == phase).map(Progress::loss).toList();
        }
    }

    static ToyPretrainer.Result run(PretrainOptions options, Path out, boolean resume, BooleanSupplier stop,
                                    PretrainListener listener) throws IOException {
        return ToyPretrainer.run(options, new ToyPretrainer.Run(out, resume, 0, System::nanoTime, stop, listener));
    }
}
