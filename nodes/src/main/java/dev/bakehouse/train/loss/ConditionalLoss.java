package dev.bakehouse.train.loss;

import ai.djl.ndarray.NDArray;
import dev.bakehouse.model.nn.OwnedArrays;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * kohya's {@code conditional_loss(pred, target, loss_type, reduction='none', huber_c)}: the
 * elementwise loss, differentiable with respect to {@code pred}. With d = pred - target and c the
 * sample's threshold: l2 d^2; l1 |d|; huber 2c (sqrt(d^2 + c^2) - c); smooth_l1 2 (sqrt(d^2 + c^2) - c).
 */
public final class ConditionalLoss {
    private ConditionalLoss() {}

    /**
     * The elementwise loss, shaped like pred, in pred's manager. {@code huberC} holds one threshold
     * per sample (axis 0) for huber / smooth_l1 and is ignored otherwise (may be null).
     *
     * <p>sqrt(d^2 + c^2) - c is evaluated as d^2 / (sqrt(d^2 + c^2) + c): the same function, without
     * the float32 cancellation that loses most digits where |d| << c (e.g. d = 1e-3, c = 1).
     */
    public static NDArray elementwise(NDArray pred, NDArray target, LossType type, double[] huberC) {
        if (!pred.getShape().equals(target.getShape())) {
            throw new IllegalArgumentException("loss: prediction " + pred.getShape() + " and target " + target.getShape()
                    + " differ in shape");
        }
        try (NDArray d = pred.sub(target)) {
            return switch (type) {
                case L2 -> d.square();
                case L1 -> d.abs();
                case HUBER, SMOOTH_L1 -> huberLike(d, type == LossType.HUBER, huberC);
            };
        }
    }

    private static NDArray huberLike(NDArray d, boolean huber, double[] huberC) {
        long batch = d.getShape().get(0);
        if (huberC == null || huberC.length != batch) {
            throw new IllegalArgumentException("loss: huber/smooth_l1 needs one huber_c per sample (" + batch + "), found "
                    + (huberC == null ? "none" : huberC.length));
        }
        float[] c = new float[(int) batch];
        float[] cSquared = new float[c.length];
        float[] numeratorScale = new float[c.length];
        for (int b = 0; b < c.length; b++) {
            c[b] = (float) huberC[b];
            cSquared[b] = (float) (huberC[b] * huberC[b]);
            numeratorScale[b] = (float) (huber ? 2 * huberC[b] : 2);
        }
        Shape perSample = perSampleShape(d.getShape());
        try (NDArray cArr = OwnedArrays.of(d.getManager(), c, perSample);
                NDArray c2 = OwnedArrays.of(d.getManager(), cSquared, perSample);
                NDArray scale = OwnedArrays.of(d.getManager(), numeratorScale, perSample);
                NDArray d2 = d.square();
                NDArray radicand = d2.add(c2);
                NDArray root = radicand.sqrt();
                NDArray denominator = root.add(cArr);
                NDArray numerator = d2.mul(scale)) {
            return numerator.div(denominator);
        }
    }

    /** (B, 1, ..., 1) so a per-sample value broadcasts over the other axes. */
    static Shape perSampleShape(Shape shape) {
        long[] dims = new long[shape.dimension()];
        Arrays.fill(dims, 1);
        dims[0] = shape.get(0);
        return new Shape(dims);
    }
}
