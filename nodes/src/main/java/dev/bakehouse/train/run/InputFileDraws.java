package dev.bakehouse.train.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.bakehouse.model.nn.OwnedArrays;
import dev.bakehouse.tensor.TensorFileException;
import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.train.noise.NoiseOptions;
import dev.bakehouse.train.noise.TrainingDraws;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * The random draws of one kohya step read from a conformance inputs file, in the order
 * {@link dev.bakehouse.train.noise.TrainingNoise} asks for them: {@code noise}; with a noise offset
 * {@code offset_noise}; with multires noise one {@code multires.r} value (as r = 2 + 2u) and one
 * {@code multires.draw<i>} per level; {@code timesteps}; with ip_noise_gamma {@code ip_noise.draw}.
 * torch's and Python's generators cannot be reproduced here, so a port replays what was drawn.
 */
final class InputFileDraws implements TrainingDraws {
    private final SafetensorsFile inputs;
    private final Deque<String> normals;
    private final Deque<Double> pythonRandoms = new ArrayDeque<>();
    private final long[] timesteps;

    private InputFileDraws(SafetensorsFile inputs, List<String> normals, double[] ratios, long[] timesteps) {
        this.inputs = inputs;
        this.normals = new ArrayDeque<>(normals);
        for (double r : ratios) {
            pythonRandoms.add((r - 2) / 2); // pyramid_noise_like: r = random.random() * 2 + 2
        }
        this.timesteps = timesteps.clone();
    }

    /** The inputs a step with these options reads (besides {@code latents} and the text ids). */
    static List<String> required(NoiseOptions options) {
        List<String> names = new ArrayList<>(List.of("noise", "timesteps"));
        if (options.noiseOffsetEnabled()) {
            names.add("offset_noise");
        }
        if (options.multiresEnabled()) {
            names.add("multires.r");
            names.add("multires.draw0");
        }
        if (options.ipNoiseEnabled()) {
            names.add("ip_noise.draw");
        }
        return names;
    }

    /**
     * @throws IllegalArgumentException when the options need a random-strength draw, which the
     *                                  fixtures do not record
     */
    static InputFileDraws of(SafetensorsFile inputs, NoiseOptions options) throws TensorFileException {
        if (options.noiseOffsetRandomStrength() || options.ipNoiseGammaRandomStrength()) {
            throw new IllegalArgumentException("inputs " + inputs.path() + ": *_random_strength draws are not recorded");
        }
        List<String> normals = new ArrayList<>(List.of("noise"));
        if (options.noiseOffsetEnabled()) {
            normals.add("offset_noise");
        }
        double[] ratios = new double[0];
        if (options.multiresEnabled()) {
            ratios = inputs.readDoubles("multires.r");
            for (int i = 0; i < ratios.length; i++) {
                normals.add("multires.draw" + i);
            }
        }
        if (options.ipNoiseEnabled()) {
            normals.add("ip_noise.draw");
        }
        return new InputFileDraws(inputs, normals, ratios, inputs.readLongs("timesteps"));
    }

    @Override
    public NDArray normal(NDManager manager, Shape shape) {
        String name = normals.poll();
        if (name == null) {
            throw new IllegalStateException("inputs " + inputs.path() + ": a normal draw of shape " + shape
                    + " was asked for, but every recorded draw is used");
        }
        try {
            long[] stored = inputs.info(name).shape();
            if (!Arrays.equals(stored, shape.getShape())) {
                throw new IllegalArgumentException("inputs " + inputs.path() + ": '" + name + "' has shape "
                        + Arrays.toString(stored) + ", the step draws " + shape);
            }
            return OwnedArrays.of(manager, inputs.readFloats(name), shape);
        } catch (TensorFileException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public double uniform() {
        throw new IllegalStateException("inputs " + inputs.path() + ": a uniform draw was asked for; none is recorded");
    }

    @Override
    public double pythonRandom() {
        Double u = pythonRandoms.poll();
        if (u == null) {
            throw new IllegalStateException("inputs " + inputs.path() + ": multires.r has fewer ratios than the levels run");
        }
        return u;
    }

    @Override
    public long[] integers(long low, long high, int count) {
        if (timesteps.length != count) {
            throw new IllegalArgumentException("inputs " + inputs.path() + ": 'timesteps' has " + timesteps.length
                    + " values for a batch of " + count);
        }
        for (long t : timesteps) {
            if (t < low || t >= high) {
                throw new IllegalArgumentException("inputs " + inputs.path() + ": timestep " + t + " outside [" + low + ", "
                        + high + ")");
            }
        }
        return timesteps.clone();
    }

    /** Whether every recorded draw was used (a step that asked for fewer has the wrong options). */
    boolean consumed() {
        return normals.isEmpty() && pythonRandoms.isEmpty();
    }
}
