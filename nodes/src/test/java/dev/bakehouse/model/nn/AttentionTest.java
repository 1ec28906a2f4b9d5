package dev.bakehouse.model.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class AttentionTest {
    @Test
    void attend_slicedOverQueries_equalsUnsliced() {
        try (NDManager m = NDManager.newBaseManager()) {
            m.getEngine().setRandomSeed(7);
            NDArray q = m.randomNormal(new Shape(1, 2, 3, 37, 8)); // 37 queries: slices of 5 leave a remainder
            NDArray k = m.randomNormal(new Shape(1, 2, 3, 11, 8));
            NDArray v = m.randomNormal(new Shape(1, 2, 3, 11, 8));
            float[] whole = Attention.attend(q, k, v, 0.35f, null, Long.MAX_VALUE).toFloatArray();
            NDArray sliced = Attention.attend(q, k, v, 0.35f, null, 5 * 2 * 3 * 11); // 5 query rows at a time
            assertEquals(new Shape(1, 2, 3, 37, 8), sliced.getShape());
            assertArrayEquals(whole, sliced.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void attend_causalMask_firstQuerySeesOnlyFirstKey() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray q = m.randomNormal(new Shape(1, 4, 2));
            NDArray k = m.randomNormal(new Shape(1, 4, 2));
            NDArray v = m.arange(8f).reshape(1, 4, 2);
            NDArray out = Attention.attend(q, k, v, 1f, new Constants(m).causalMask(4), Long.MAX_VALUE);
            assertArrayEquals(new float[] {0, 1}, out.get("0, 0").toFloatArray(), 0f);
        }
    }
}
