package dev.bakehouse.train.noise;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * kohya's {@code pyramid_noise_like} ({@code --multires_noise_iterations}, {@code
 * --multires_noise_discount}): Gaussian noise at ever coarser resolutions, each upsampled
 * bilinearly to the latent size and added with weight discount^i, then the sum rescaled to unit
 * standard deviation.
 */
public final class PyramidNoise {
    /** DJL's interpolation mode id that reaches libtorch's {@code upsample_bilinear2d}. */
    private static final int BILINEAR = 1;

    private PyramidNoise() {}

    /**
     * The noise before the rescaling, and the (height, width) of each level drawn.
     *
     * @param sum   noise + sum_i discount^i * upsample(draw_i)
     * @param sizes one {height, width} per iteration run
     */
    public record Levels(NDArray sum, List<int[]> sizes) {}

    /** The multires noise: {@link #accumulate} divided by {@link #unbiasedStd} of the sum. In the noise's manager. */
    public static NDArray apply(NDArray noise, int iterations, double discount, TrainingDraws draws) {
        Levels levels = accumulate(noise, iterations, discount, draws);
        try (NDArray sum = levels.sum(); NDArray std = unbiasedStd(sum)) {
            return sum.div(std);
        }
    }

    /**
     * For i = 0 .. iterations-1: r = 2 + 2 u (u one Python {@code random()} draw, taken on every
     * iteration), level size max(1, trunc(H / r^i)) x max(1, trunc(W / r^i)), one normal draw of
     * (B, C, h, w), bilinear upsampling to (H, W), weight discount^i; stops after the first level
     * with a side of 1. Level 0 is full size, where the upsampling is the identity.
     */
    public static Levels accumulate(NDArray noise, int iterations, double discount, TrainingDraws draws) {
        Shape shape = noise.getShape();
        if (shape.dimension() != 4) {
            throw new IllegalArgumentException("multires noise: noise must be (B, C, H, W), found " + shape);
        }
        long batch = shape.get(0);
        long channels = shape.get(1);
        int height = (int) shape.get(2);
        int width = (int) shape.get(3);
        List<int[]> sizes = new ArrayList<>();
        NDArray sum = noise.duplicate();
        for (int i = 0; i < iterations; i++) {
            double r = draws.pythonRandom() * 2 + 2;
            double factor = Math.pow(r, i);
            int h = Math.max(1, (int) (height / factor));
            int w = Math.max(1, (int) (width / factor));
            sizes.add(new int[] {h, w});
            try (NDArray draw = draws.normal(noise.getManager(), new Shape(batch, channels, h, w));
                    NDArray up = upsampleBilinear(draw, height, width);
                    NDArray weighted = up.mul((float) Math.pow(discount, i));
                    NDArray previous = sum) {
                sum = previous.add(weighted);
            }
            if (h == 1 || w == 1) {
                break;
            }
        }
        return new Levels(sum, List.copyOf(sizes));
    }

    /**
     * {@code torch.nn.Upsample(size=(height, width), mode="bilinear")} of a (B, C, h, w) array:
     * align_corners False (half-pixel centres, source index clamped at 0), output size given. In x's manager.
     */
    public static NDArray upsampleBilinear(NDArray x, int height, int width) {
        NDArray out = x.getNDArrayInternal().interpolation(new long[] {height, width}, BILINEAR, false);
        out.attach(x.getManager());
        return out;
    }

    /** torch's {@code x.std()}: over all elements, dividing by N - 1; a 0-dim array in x's manager. */
    public static NDArray unbiasedStd(NDArray x) {
        long n = x.getShape().size();
        if (n < 2) {
            throw new IllegalArgumentException("std of " + n + " element(s) is undefined");
        }
        try (NDArray flat = x.flatten();
                NDArray mean = flat.mean();
                NDArray centred = flat.sub(mean);
                NDArray squares = centred.square();
                NDArray total = squares.sum();
                NDArray variance = total.div((float) (n - 1))) {
            return variance.sqrt();
        }
    }
}
