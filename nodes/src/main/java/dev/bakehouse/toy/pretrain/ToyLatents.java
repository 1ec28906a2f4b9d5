package dev.bakehouse.toy.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bakehouse.model.nn.OwnedArrays;
import dev.bakehouse.model.vae.AutoencoderKL;
import dev.bakehouse.tensor.DType;
import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.tensor.SafetensorsWriter;
import dev.bakehouse.toy.world.SceneKind;
import dev.bakehouse.toy.world.WorldGenerator;
import dev.bakehouse.toy.world.WorldImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * The diffusion phase's dataset: generated held-in scenes (no star, no kiki), each encoded once by
 * the frozen trained VAE to its posterior mean (as kohya caches latents), with its caption. The
 * latents are stored unscaled; {@link #scaleFactor()} is LDM's {@code scale_by_std}: one over their
 * standard deviation, so that the scaled latents the UNet sees have unit spread.
 */
final class ToyLatents {
    private static final String TENSOR = "latents";
    private static final String CAPTIONS = "captions";

    private final float[] latents;
    private final Shape itemShape;
    private final List<String> captions;

    private ToyLatents(float[] latents, Shape itemShape, List<String> captions) {
        this.latents = latents;
        this.itemShape = itemShape;
        this.captions = List.copyOf(captions);
    }

    /** Encodes {@code count} scenes drawn from the run's seeds, {@code chunk} images per VAE forward. */
    static ToyLatents encode(AutoencoderKL vae, WorldGenerator generator, PhaseSeeds seeds, int count, int chunk,
                             NDManager parent, IntConsumer progress) {
        List<String> captions = new ArrayList<>();
        float[] all = null;
        Shape item = null;
        for (int start = 0; start < count; start += chunk) {
            int n = Math.min(chunk, count - start);
            long[] imageSeeds = new long[n];
            for (int i = 0; i < n; i++) {
                imageSeeds[i] = seeds.of(PhaseSeeds.Purpose.DATASET_IMAGES, 0, start + i);
            }
            List<WorldImage> images = ToyImages.generate(generator, SceneKind.PRETRAINING, imageSeeds);
            try (NDManager step = parent.newSubManager()) {
                NDArray mean = vae.encode(ToyImages.batch(step, images)).mean();
                if (all == null) {
                    item = mean.getShape().slice(1);
                    all = new float[Math.toIntExact(count * item.size())];
                }
                float[] values = mean.toFloatArray();
                System.arraycopy(values, 0, all, Math.toIntExact(start * item.size()), values.length);
            }
            images.forEach(image -> captions.add(image.caption()));
            progress.accept(start + n);
        }
        return new ToyLatents(all, item, captions);
    }

    int size() {
        return captions.size();
    }

    String caption(int index) {
        return captions.get(index);
    }

    /** One over the standard deviation of every latent value. */
    double scaleFactor() {
        double sum = 0;
        double sumSq = 0;
        for (float v : latents) {
            sum += v;
            sumSq += (double) v * v;
        }
        double mean = sum / latents.length;
        double variance = sumSq / latents.length - mean * mean;
        return 1 / Math.sqrt(variance);
    }

    /** The latents of {@code indices}, times {@code scale}, as (B, C, h, w) in {@code manager}. */
    NDArray batch(NDManager manager, int[] indices, double scale) {
        int n = Math.toIntExact(itemShape.size());
        float[] out = new float[indices.length * n];
        for (int i = 0; i < indices.length; i++) {
            for (int j = 0; j < n; j++) {
                out[i * n + j] = (float) (latents[indices[i] * n + j] * scale);
            }
        }
        return OwnedArrays.of(manager, out, new Shape(indices.length).addAll(itemShape));
    }

    void write(Path file) throws IOException {
        new SafetensorsWriter()
                .metadata(CAPTIONS, new ObjectMapper().writeValueAsString(captions))
                .addFloats(TENSOR, DType.F32, new Shape(captions.size()).addAll(itemShape).getShape(), latents)
                .write(file);
    }

    static ToyLatents read(Path file) throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            String json = f.metadata().get(CAPTIONS);
            if (json == null) {
                throw new IOException(file + ": no '" + CAPTIONS + "' metadata (not a toy latent cache)");
            }
            List<String> captions = new ObjectMapper().readValue(json, new TypeReference<List<String>>() {});
            long[] shape = f.info(TENSOR).shape();
            if (shape.length != 4 || shape[0] != captions.size()) {
                throw new IOException(file + ": expected " + captions.size() + " latents (N, C, h, w), found "
                        + java.util.Arrays.toString(shape));
            }
            return new ToyLatents(f.readFloats(TENSOR), new Shape(shape).slice(1), captions);
        }
    }
}
