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
 * A context of batch 1 is repeated to the latent batch. Contexts of different token lengths
 * (e.g. 154 vs 77) are tiled to their least common multiple along the token axis, as ComfyUI does
 * before batching them.
 */
public final class GuidedDenoiser implements Denoiser {
    private final EpsPredictor model;
    private final DiscreteSchedule schedule;
    private final NDArray positive;
    private final NDArray negative;
    private final double cfg;

    /**
     * @param negative may be null (no guidance)
     */
    public GuidedDenoiser(EpsPredictor model, DiscreteSchedule schedule, NDArray positive, NDArray negative, double cfg) {
        if (positive.getShape().dimension() != 3) {
            throw new IllegalArgumentException("positive context must be (B, tokens, channels), found " + positive.getShape());
        }
        if (negative != null && (negative.getShape().dimension() != 3 || negative.getShape().get(2) != positive.getShape().get(2))) {
            throw new IllegalArgumentException("negative context must be (B, tokens, " + positive.getShape().get(2)
                    + "), found " + negative.getShape());
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
            NDArray eps = predict(x.mul(cIn), t, forBatch(positive, batch, positive.getShape().get(1), m));
            return x.sub(eps.mul(sigma));
        }
        long tokens = lcm(positive.getShape().get(1), negative.getShape().get(1));
        NDArray context = NDArrays.concat(new NDList(
                forBatch(negative, batch, tokens, m), forBatch(positive, batch, tokens, m)));
        NDArray xIn = NDArrays.concat(new NDList(x, x)).mul(cIn);
        NDArray eps = predict(xIn, t, context);
        NDArray uncond = x.sub(eps.get(new NDIndex("0:{}", batch)).mul(sigma));
        NDArray cond = x.sub(eps.get(new NDIndex("{}:", batch)).mul(sigma));
        return uncond.add(cond.sub(uncond).mul(cfg));
    }

    private NDArray predict(NDArray xIn, float t, NDArray context) {
        NDManager m = xIn.getManager();
        float[] ts = new float[(int) xIn.getShape().get(0)];
        java.util.Arrays.fill(ts, t);
        NDArray eps = model.predictEps(xIn, m.create(ts), context);
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
