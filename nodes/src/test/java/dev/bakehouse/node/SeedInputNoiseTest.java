package dev.bakehouse.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.bakehouse.model.sampling.TorchNoise;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A seed read from node inputs seeds libtorch with its unsigned 64-bit pattern, as
 * {@code torch.manual_seed} does in ComfyUI: 2^64-1 is the generator state of the signed long -1.
 */
class SeedInputNoiseTest {
    @Test
    void largestSeed_drawsTheNoiseOfSignedMinusOne() {
        NodeInputs inputs = new NodeInputs("KSampler #3",
                Map.of("seed", new BigInteger("18446744073709551615"), "zero", 0L));
        Shape shape = new Shape(8);
        try (NDManager m = NDManager.newBaseManager()) {
            float[] fromNode = TorchNoise.initial(m, inputs.getSeed("seed"), shape).toFloatArray();
            float[] signedMinusOne;
            synchronized (TorchNoise.LOCK) {
                JniUtils.setSeed(-1L);
                signedMinusOne = m.randomNormal(0f, 1f, shape, DataType.FLOAT32, Device.cpu())
                        .toFloatArray();
            }
            assertArrayEquals(signedMinusOne, fromNode);
            // observed with libtorch 2.7.1 (cpu): randn(8) after manual_seed(2^64-1)
            assertArrayEquals(new float[] {1.2198f, -0.3930f, 1.0231f}, Arrays.copyOf(fromNode, 3), 1e-4f);
            assertArrayEquals(new float[] {1.5410f, -0.2934f, -2.1788f},
                    Arrays.copyOf(TorchNoise.initial(m, inputs.getSeed("zero"), shape).toFloatArray(), 3), 1e-4f);
        }
    }
}
