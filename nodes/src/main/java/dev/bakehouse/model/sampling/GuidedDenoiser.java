package dev.bakehouse.model.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/**
 * An epsilon-prediction UNet with classifier-free guidance, as ComfyUI runs SD 1.x:
 * <ul>
 *   <li>UNet input {@code x * c_in}, {@code c_in = 1/sqrt(sigma^2+1)}; timestep = the trained
 *       timestep whose log-sigma is nearest ({@link DiscreteSchedule#timestep});</li>
 *   <li>{@code denoised = x - eps * sigma};</li>
 *   <li>with a negative context and cfg != 1: negative and positive run as ONE batch
 *       {@code [uncond..., cond...]}, then
 *       {@code denoised = uncond + (cond - uncond) * cfg} (on denoised, as ComfyUI does);
 *       cfg == 1 skips the negative (ComfyUI's cfg1 optimisation).</li>
 * </ul>
 * SDXL's vector conditioning y, when present, is batched exactly as its context.
 * A context of batch 1 is repeated to the latent batch. Contexts of different token lengths
 * (e.g. 154 vs 77) are tiled to their least common multiple along the token axis, as ComfyUI does
 * before batching them.
 */
public final class GuidedDenoiser implements Denoiser {
    private final EpsPredictor model;
    private final DiscreteSchedule schedule;
    private final UNetConditioning positive;
    private final UNetConditioning negative;
    private final double cfg;

    /**
     * @param negative may be null (no guidance)
     */
    public GuidedDenoiser(EpsPredictor model, DiscreteSchedule schedule, NDArray positive, NDArray negative, double cfg) {
        this(model, schedule, UNetConditioning.of(positive), negative == null ? null : UNetConditioning.of(negative), cfg);
    }

    /**
     * @param negative may be null (no guidance); when given, its context width and whether it has
     *                 a vector conditioning must be the positive's
     */
    public GuidedDenoiser(EpsPredictor model, DiscreteSchedule schedule, UNetConditioning positive, UNetConditioning negative,
                          double cfg) {
        if (negative != null && negative.context().getShape().get(2) != positive.context().getShape().get(2)) {
            throw new IllegalArgumentException("negative context must be (B, tokens, " + positive.context().getShape().get(2)
                    + "), found " + negative.context().getShape());
        }
        if (negative != null && (negative.y() == null) != (positive.y() == null)) {
            throw new IllegalArgumentException("positive and negative must both have a vector conditioning y (SDXL) or neither");
        }
        this.model = model;
        this.schedule = schedule;
        this.positive = positive;
        this.negative = negative;
        this.cfg = cfg;
    }

    @Override
    public NDArray denoise(NDArray x, double sigma) {
        NDManager m = x.getManager();
        long batch = x.getShape().get(0);
        double cIn = 1.0 / Math.sqrt(sigma * sigma + 1.0);
        float t = schedule.timestep(sigma);
        if (negative == null || cfg == 1.0) {
            NDArray eps = predict(x.mul(cIn), t, forBatch(positive.context(), batch, positive.context().getShape().get(1), m),
                    vectorForBatch(positive.y(), batch, m));
            return x.sub(eps.mul(sigma));
        }
        long tokens = lcm(positive.context().getShape().get(1), negative.context().getShape().get(1));
        NDArray context = NDArrays.concat(new NDList(
                forBatch(negative.context(), batch, tokens, m), forBatch(positive.context(), batch, tokens, m)));
        NDArray y = positive.y() == null ? null : NDArrays.concat(new NDList(
                vectorForBatch(negative.y(), batch, m), vectorForBatch(positive.y(), batch, m)));
        NDArray xIn = NDArrays.concat(new NDList(x, x)).mul(cIn);
        NDArray eps = predict(xIn, t, context, y);
        NDArray uncond = x.sub(eps.get(new NDIndex("0:{}", batch)).mul(sigma));
        NDArray cond = x.sub(eps.get(new NDIndex("{}:", batch)).mul(sigma));
        return uncond.add(cond.sub(uncond).mul(cfg));
    }

    private NDArray predict(NDArray xIn, float t, NDArray context, NDArray y) {
        NDManager m = xIn.getManager();
        float[] ts = new float[(int) xIn.getShape().get(0)];
        java.util.Arrays.fill(ts, t);
        NDArray eps = model.predictEps(xIn, m.create(ts), context, y);
        if (!eps.getShape().equals(xIn.getShape())) {
            throw new IllegalStateException("UNet returned shape " + eps.getShape() + " for input " + xIn.getShape());
        }
        eps.attach(m);
        return eps;
    }

    /** The context repeated to {@code batch} items and tiled to {@code tokens} tokens, in {@code m}. */
    private static NDArray forBatch(NDArray context, long batch, long tokens, NDManager m) {
        long have = context.getShape().get(0);
        if (have != batch && have != 1) {
            throw new IllegalArgumentException("context batch " + have + " does not match latent batch " + batch);
        }
        NDArray out = context.duplicate();
        out.attach(m);
        if (have != batch) {
            out = out.repeat(0, batch);
        }
        long tile = tokens / context.getShape().get(1);
        return tile == 1 ? out : out.tile(new long[] {1, tile, 1});
    }

    /** y (1 or B, adm) repeated to {@code batch} rows, in {@code m}; null stays null. */
    private static NDArray vectorForBatch(NDArray y, long batch, NDManager m) {
        if (y == null) {
            return null;
        }
        long have = y.getShape().get(0);
        if (have != batch && have != 1) {
            throw new IllegalArgumentException("vector conditioning batch " + have + " does not match latent batch " + batch);
        }
        NDArray out = y.duplicate();
        out.attach(m);
        return have == batch ? out : out.repeat(0, batch);
    }

    private static long lcm(long a, long b) {
        long g = a;
        for (long r = b; r != 0; ) {
            long next = g % r;
            g = r;
            r = next;
        }
        return a / g * b;
    }
}
