package dev.bakehouse.train.run;

import dev.bakehouse.model.ComputeDevice;
import dev.bakehouse.model.ModelConfig;
import dev.bakehouse.model.StableDiffusion;
import dev.bakehouse.model.TensorSourceWeights;
import dev.bakehouse.model.tokenizer.ClipTokenizer;
import dev.bakehouse.model.tokenizer.TokenizerFiles;
import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.testing.Fixtures;
import dev.bakehouse.testing.SharedResources;
import dev.bakehouse.testing.TinyDataset;
import dev.bakehouse.train.config.TrainNetworkArgs;
import dev.bakehouse.train.data.BadInputPolicy;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The tiny fixture model and tokenizer, a generated 64x64 kohya dataset, and a way to run
 * {@link LoraTrainer} on them from a kohya command line — what the trainer tests share.
 */
final class TinyTrainingRun implements AutoCloseable {
    final SafetensorsFile checkpoint;
    final StableDiffusion model;
    final ClipTokenizer tokenizer;

    TinyTrainingRun() throws IOException {
        checkpoint = SafetensorsFile.open(Fixtures.file("sd15-tiny/tiny.safetensors"));
        model = StableDiffusion.load(new TensorSourceWeights(checkpoint), ModelConfig.tiny(), ComputeDevice.CPU);
        tokenizer = ClipTokenizer.load(TokenizerFiles.in(Fixtures.file("clip-tokenizer")));
    }

    /** {@code count} images of a ring in {@code repeats_name}, captions in .txt files. */
    static Path dataset(Path root, String folder, int count) throws IOException {
        return TinyDataset.write(root, folder, count);
    }

    static TrainNetworkArgs args(Path data, Path out, String... extra) {
        List<String> argv = new ArrayList<>(List.of("--pretrained_model_name_or_path=tiny.safetensors",
                "--train_data_dir=" + data, "--output_dir=" + out, "--output_name=kiki", "--resolution=64",
                "--caption_extension=.txt", "--network_dim=4", "--network_alpha=2", "--learning_rate=1e-3",
                "--train_batch_size=2", "--seed=42"));
        argv.addAll(List.of(extra));
        return ((TrainNetworkArgs.Parsed) TrainNetworkArgs.parse(argv, Path.of("."), false)).args();
    }

    LoraTrainer.Result train(TrainNetworkArgs args, TrainingListener listener, java.util.function.BooleanSupplier stop) {
        return train(args, listener, stop, null);
    }

    LoraTrainer.Result train(TrainNetworkArgs args, TrainingListener listener, java.util.function.BooleanSupplier stop,
                             SampleRenderer renderer) {
        return train(args, listener, stop, renderer, null);
    }

    LoraTrainer.Result train(TrainNetworkArgs args, TrainingListener listener, java.util.function.BooleanSupplier stop,
                             SampleRenderer renderer, TrainingControl control) {
        TrainingSetup setup = TrainingSetup.resolve(args, BadInputPolicy.STOP, 7);
        return LoraTrainer.run(new LoraTrainer.Inputs(setup, model, tokenizer, Path.of(args.saving().outputDir()),
                Path.of(args.saving().outputDir()).resolve("cache"), "tiny-vae",
                new LoraTrainer.RunIdentity(1234, Instant.ofEpochSecond(1_733_600_000L), null, "bakehouse/test"),
                renderer, stop, null, control), listener);
    }

    @Override
    public void close() throws Exception {
        SharedResources.close(model, checkpoint);
    }
}
