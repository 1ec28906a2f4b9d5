package dev.bakehouse.model.sampling;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Noise exactly as ComfyUI draws it, from libtorch's default CPU generator (mt19937).
 *
 * <p>Initial noise: {@code torch.manual_seed(seed)} then one {@code randn} of the latent's shape
 * on the CPU ({@code comfy.sample.prepare_noise}), whatever device samples.
 *
 * <p>Ancestral noise: ComfyUI seeds a fresh generator with the same seed and draws one
 * {@code randn(x.shape)} per step, on x's device (so its first draw repeats the initial noise).
 * The generator DJL reaches is libtorch's process-wide default one, which other code may also
 * draw from between two steps; so step k reseeds and draws k+1 times under {@link #LOCK},
 * keeping the k-th array of ComfyUI's sequence whatever ran in between. That costs
 * k(k+1)/2 latent-sized draws over a run, negligible next to the UNet.
 */
public final class TorchNoise {
    /** Guards libtorch's global generator: reseed and draw as one unit. */
    public static final Object LOCK = new Object();

    private TorchNoise() {}

    /** ComfyUI's starting noise for {@code seed}, float32, created on the CPU and moved to the manager's device. */
    public static NDArray initial(NDManager manager, Seed seed, Shape shape) {
        synchronized (LOCK) {
            JniUtils.setSeed(seed.bits());
            NDArray cpu = manager.randomNormal(0f, 1f, shape, DataType.FLOAT32, Device.cpu());
            return cpu.getDevice().equals(manager.getDevice()) ? cpu : moveTo(cpu, manager);
        }
    }

    /** ComfyUI's per-step ancestral noise for {@code seed}. */
    public static NoiseSource ancestral(Seed seed) {
        return (manager, shape, step) -> {
            synchronized (LOCK) {
                JniUtils.setSeed(seed.bits());
                for (int skipped = 0; skipped < step; skipped++) {
                    manager.randomNormal(0f, 1f, shape, DataType.FLOAT32).close();
                }
                return manager.randomNormal(0f, 1f, shape, DataType.FLOAT32);
            }
        };
    }

    private static NDArray moveTo(NDArray cpu, NDManager manager) {
        try (cpu) {
            NDArray moved = cpu.toDevice(manager.getDevice(), true);
            moved.attach(manager);
            return moved;
        }
    }
}
