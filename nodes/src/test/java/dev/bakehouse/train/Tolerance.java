package dev.bakehouse.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import dev.bakehouse.model.FixtureTensors;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The fixture READMEs' comparison rules, without any absolute slack; each check prints its error. */
public final class Tolerance {
    private Tolerance() {}

    /** max|a - b| <= tol * max|b| over the whole tensor (shape checked); returns max|a - b| / max|b|. */
    public static double assertMaxRel(String name, double[] expected, long[] expectedShape, NDArray actual, double tol) {
        assertArrayEquals(expectedShape, actual.getShape().getShape(), name + ": shape");
        float[] got = actual.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
        double worst = 0;
        double largest = 0;
        for (int i = 0; i < expected.length; i++) {
            double err = Float.isNaN(got[i]) ? Double.POSITIVE_INFINITY : Math.abs(got[i] - expected[i]);
            worst = Math.max(worst, err);
            largest = Math.max(largest, Math.abs(expected[i]));
        }
        double maxErr = worst;
        double maxRef = largest;
        double rel = maxErr / maxRef;
        System.out.printf("CONFORMANCE %s max_abs_err=%.3e max_ref=%.3e rel=%.3e (tol %.0e)%n", name, maxErr, maxRef, rel, tol);
        assertTrue(maxErr <= tol * maxRef, () -> name + ": max|a-b| = " + maxErr + " exceeds " + tol + " * max|b| = " + tol * maxRef);
        return rel;
    }

    /** |a_i - b_i| <= tol * |b_i| for every element; returns the largest relative error. */
    public static double assertEachRel(String name, double[] expected, double[] actual, double tol) {
        assertTrue(expected.length == actual.length, () -> name + ": " + actual.length + " values, expected " + expected.length);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            double err = Double.isNaN(actual[i]) ? Double.POSITIVE_INFINITY : Math.abs(actual[i] - expected[i]);
            double rel = err / Math.abs(expected[i]);
            worst = Math.max(worst, rel);
            int index = i;
            assertTrue(err <= tol * Math.abs(expected[i]),
                    () -> name + "[" + index + "]: " + actual[index] + " vs " + expected[index] + ", relative error " + rel);
        }
        System.out.printf("CONFORMANCE %s max_rel_err=%.3e (tol %.0e)%n", name, worst, tol);
        return worst;
    }

    /** {@link #assertMaxRel} against the fixture tensor {@code name} (its _f64 copy when there is one). */
    public static double assertMaxRel(FixtureTensors fx, String name, NDArray actual, double tol) {
        return assertMaxRel(name, values(fx, name), shape(fx, name), actual, tol);
    }

    /** {@link #assertEachRel} against the fixture tensor {@code name} (its _f64 copy when there is one). */
    public static double assertEachRel(FixtureTensors fx, String name, double[] actual, double tol) {
        return assertEachRel(name, values(fx, name), actual, tol);
    }

    /** The most precise copy of a fixture tensor: {@code name_f64} when stored, else {@code name}. */
    public static double[] values(FixtureTensors fx, String name) {
        try {
            String precise = name + "_f64";
            return fx.file().readDoubles(fx.file().contains(precise) ? precise : name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static long[] longs(FixtureTensors fx, String name) {
        try {
            return fx.file().readLongs(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static long[] shape(FixtureTensors fx, String name) {
        try {
            return fx.file().info(name).shape();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** NDArray values as doubles. */
    public static double[] doubles(NDArray a) {
        float[] f = a.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
