package dev.bakehouse.train.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.bakehouse.lora.format.LoraReader;
import dev.bakehouse.lora.network.NetworkOptions;
import dev.bakehouse.lora.network.TrainableLoraNetwork;
import dev.bakehouse.model.StableDiffusion;
import dev.bakehouse.model.nn.OwnedArrays;
import dev.bakehouse.model.tokenizer.KohyaRows;
import dev.bakehouse.model.tokenizer.TokenRows;
import dev.bakehouse.train.noise.DdpmSchedule;
import dev.bakehouse.train.noise.SeededDraws;
import dev.bakehouse.train.text.ChunkedTextEncoding;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * A fixed evaluation set for "the training loss falls": every image of a dataset folder (VAE
 * posterior mean), each at the timesteps 100, 300, 500, 700, 900 with noise from a fixed seed, and
 * its caption's context. The epsilon L2 loss on it is deterministic, unlike the per-step loss
 * (random timesteps and noise), so before vs after training is a fair comparison.
 */
final class FixedEvaluation {
    private static final long[] TIMESTEPS = {100, 300, 500, 700, 900};
    private final StableDiffusion model;
    private final float[] latents;
    private final Shape shape;
    private final List<TokenRows> captions;

    private FixedEvaluation(StableDiffusion model, float[] latents, Shape shape, List<TokenRows> captions) {
        this.model = model;
        this.latents = latents;
        this.shape = shape;
        this.captions = captions;
    }

    static FixedEvaluation of(TinyTrainingRun tiny, Path folder) throws IOException {
        List<Path> images;
        try (Stream<Path> files = Files.list(folder)) {
            images = files.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
        List<float[]> perImage = new ArrayList<>();
        List<TokenRows> captions = new ArrayList<>();
        long[] one = null;
        try (NDManager m = tiny.model.manager().newSubManager()) {
            for (Path p : images) {
                BufferedImage image = ImageIO.read(p.toFile());
                int h = image.getHeight();
                int w = image.getWidth();
                float[] chw = new float[3 * h * w];
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int rgb = image.getRGB(x, y);
                        for (int c = 0; c < 3; c++) {
                            chw[c * h * w + y * w + x] = ((rgb >> (16 - 8 * c)) & 0xff) / 127.5f - 1f;
                        }
                    }
                }
                NDArray mean = tiny.model.vae().encode(m.create(chw, new Shape(1, 3, h, w))).mean();
                one = mean.getShape().getShape();
                perImage.add(mean.mul((float) tiny.model.config().vae().scaleFactor()).toFloatArray());
                String caption = Files.readString(p.resolveSibling(p.getFileName().toString().replace(".png", ".txt")));
                captions.add(KohyaRows.rows(caption, tiny.tokenizer, 75));
            }
        }
        int per = perImage.get(0).length;
        float[] all = new float[perImage.size() * TIMESTEPS.length * per];
        List<TokenRows> rows = new ArrayList<>();
        int i = 0;
        for (int image = 0; image < perImage.size(); image++) {
            for (int t = 0; t < TIMESTEPS.length; t++) {
                System.arraycopy(perImage.get(image), 0, all, i++ * per, per);
                rows.add(captions.get(image));
            }
        }
        return new FixedEvaluation(tiny.model, all, new Shape(rows.size(), one[1], one[2], one[3]), rows);
    }

    /** The loss of the plain model: a LoRA at its initialisation (lora_up = 0) gives exactly this. */
    double baseLoss() {
        return loss();
    }

    /** The loss with a saved LoRA applied as network_weights at multiplier 1. */
    double loss(Path loraFile) throws IOException {
        try (TrainableLoraNetwork net = TrainableLoraNetwork.create(model, NetworkOptions.defaults().withDimFromWeights(true),
                new SplittableRandom(0), LoraReader.read(loraFile))) {
            return loss();
        }
    }

    private double loss() {
        DdpmSchedule schedule = DdpmSchedule.sd15();
        long[] timesteps = new long[(int) shape.get(0)];
        float[] t = new float[timesteps.length];
        for (int i = 0; i < timesteps.length; i++) {
            timesteps[i] = TIMESTEPS[i % TIMESTEPS.length];
            t[i] = timesteps[i];
        }
        try (NDManager m = model.manager().newSubManager()) {
            NDArray x0 = OwnedArrays.of(m, latents, shape);
            NDArray noise = new SeededDraws(20261207L).normal(m, shape);
            NDArray noisy = schedule.addNoise(x0, noise, timesteps);
            NDArray context = ChunkedTextEncoding.encode(model.textEncoder(), ChunkedTextEncoding.ids(m, captions), 1);
            NDArray pred = model.unet().forward(noisy, OwnedArrays.of(m, t), context);
            return pred.sub(noise).square().mean().getFloat();
        }
    }
}
