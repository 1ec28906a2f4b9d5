package dev.bakehouse.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.bakehouse.tensor.DType;
import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.tensor.TensorInfo;
import dev.bakehouse.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Reads reference tensors of a fixture file into NDArrays and compares whole tensors with them. */
public final class FixtureTensors implements AutoCloseable {
    private final SafetensorsFile file;

    public FixtureTensors(String relative) {
        try {
            this.file = SafetensorsFile.open(Fixtures.file(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public SafetensorsFile file() {
        return file;
    }

    public NDArray array(NDManager manager, String name) {
        try {
            TensorInfo info = file.info(name);
            Shape shape = new Shape(info.shape());
            if (info.dtype() == DType.I64) {
                return manager.create(file.readLongs(name), shape);
            }
            return manager.create(file.readFloats(name), shape);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public float[] floats(String name) {
        try {
            return file.readFloats(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The fixture README's rule: max|a-b| <= relTol * max|b| + 1e-5, over the whole tensor
     * (every token position included). Returns the max abs error.
     */
    public double assertClose(String name, NDArray actual, double relTol) {
        try {
            assertArrayEquals(file.info(name).shape(), actual.getShape().getShape(), name + ": shape");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        float[] expected = floats(name);
        float[] got = actual.toFloatArray();
        double maxErr = 0;
        double maxRef = 0;
        for (int i = 0; i < expected.length; i++) {
            maxErr = Math.max(maxErr, Math.abs((double) got[i] - expected[i]));
            maxRef = Math.max(maxRef, Math.abs(expected[i]));
            if (Float.isNaN(got[i])) {
                maxErr = Double.POSITIVE_INFINITY;
            }
        }
        double bound = relTol * maxRef + 1e-5;
        System.out.printf("CONFORMANCE %s max_abs_err=%.3e max_ref=%.3e rel=%.3e%n", name, maxErr, maxRef, maxErr / Math.max(maxRef, 1e-30));
        double err = maxErr;
        assertTrue(err <= bound, () -> name + ": max abs error " + err + " exceeds " + bound);
        return maxErr;
    }

    /**
     * Every traced activation against the reference tensor {@code prefix + name}, and the trace
     * complete: each reference under {@code prefix} was produced, not only the ones recorded.
     */
    public void assertTraceClose(String prefix, java.util.Map<String, NDArray> trace, double relTol) {
        for (var e : trace.entrySet()) {
            assertClose(prefix + e.getKey(), e.getValue(), relTol);
        }
        java.util.Set<String> expected = file.names().stream().filter(n -> n.startsWith(prefix))
                .map(n -> n.substring(prefix.length())).collect(java.util.stream.Collectors.toSet());
        org.junit.jupiter.api.Assertions.assertEquals(expected, trace.keySet(), prefix + " activations traced");
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
