package dev.bakehouse.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ValidationSplitTest {

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    private static List<Integer> shuffled(int n, long seed) {
        List<Integer> items = new ArrayList<>(range(n));
        ValidationSplit.pythonShuffle(items, seed);
        return items;
    }

    /** Expected values printed by CPython 3.11: {@code random.seed(s); l = list(range(n)); random.shuffle(l)}. */
    @Test
    void pythonShuffle_matchesCPythonsRandomShuffle() {
        assertEquals(List.of(7, 3, 2, 8, 5, 6, 9, 4, 0, 1), shuffled(10, 42));
        assertEquals(List.of(7, 8, 1, 5, 3, 4, 2, 0, 9, 6), shuffled(10, 0));
        assertEquals(List.of(2, 3, 5, 4, 7, 0, 1, 8, 9, 6), shuffled(10, 3_000_000_000L));
        assertEquals(List.of(7, 1, 0, 3, 9, 8, 6, 5, 2, 4), shuffled(10, (1L << 33) + 5));
        assertEquals(List.of(5, 19, 14, 8, 32, 36, 27, 12, 26, 30, 0, 35, 29, 10, 15, 33, 34, 22, 17, 21, 7, 24, 23, 13,
                2, 28, 31, 16, 1, 18, 11, 6, 4, 3, 25, 9, 20), shuffled(37, 7));
    }

    @Test
    void part_trainingSideIsKohyas_andValidationSideIsTheDisjointRest() {
        ValidationSplit split = new ValidationSplit(0.3, 42);
        // kohya: math.ceil(10 * (1 - 0.3)) = 7 training images, the last round(10 * 0.3) = 3 validate
        List<Integer> training = split.part(range(10), false, ValidationSplit.Side.TRAINING);
        List<Integer> validation = split.part(range(10), false, ValidationSplit.Side.VALIDATION);
        assertEquals(List.of(7, 3, 2, 8, 5, 6, 9), training);
        assertEquals(List.of(4, 0, 1), validation);
        Set<Integer> all = new HashSet<>(training);
        all.addAll(validation);
        assertEquals(10, all.size(), "disjoint and complete");
    }

    /** kohya would validate on round(1.5) = 2 of 3 images and train on ceil(1.5) = 2: one image in both. */
    @Test
    void part_halfOfThree_trainsTwoAndValidatesTheOtherOne() {
        ValidationSplit split = new ValidationSplit(0.5, 42);
        assertEquals(2, split.part(range(3), false, ValidationSplit.Side.TRAINING).size());
        assertEquals(1, split.part(range(3), false, ValidationSplit.Side.VALIDATION).size());
    }

    @Test
    void part_halfSplit_isDeterministicAndDisjointForEverySize() {
        ValidationSplit split = new ValidationSplit(0.5, 123);
        for (int n = 1; n <= 12; n++) {
            List<Integer> training = split.part(range(n), false, ValidationSplit.Side.TRAINING);
            List<Integer> validation = split.part(range(n), false, ValidationSplit.Side.VALIDATION);
            assertEquals(training, split.part(range(n), false, ValidationSplit.Side.TRAINING), "same split twice");
            assertEquals((n + 1) / 2, training.size(), "ceil(n / 2) train, n = " + n);
            assertEquals(n / 2, validation.size(), "the rest validates, n = " + n);
            Set<Integer> overlap = new HashSet<>(training);
            overlap.retainAll(validation);
            assertTrue(overlap.isEmpty(), "n = " + n + ": " + overlap);
        }
    }

    @Test
    void part_zeroSplit_trainsEverythingInGlobOrder() {
        assertEquals(range(5), ValidationSplit.NONE.part(range(5), false, ValidationSplit.Side.TRAINING));
        assertEquals(List.of(), ValidationSplit.NONE.part(range(5), false, ValidationSplit.Side.VALIDATION));
        assertTrue(!ValidationSplit.NONE.active());
    }

    @Test
    void part_regSubset_isNeverSplit() {
        ValidationSplit split = new ValidationSplit(0.5, 1);
        assertEquals(range(6), split.part(range(6), true, ValidationSplit.Side.TRAINING));
        assertEquals(List.of(), split.part(range(6), true, ValidationSplit.Side.VALIDATION));
    }

    @Test
    void split_outsideZeroToOne_isAnErrorNamingTheOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ValidationSplit(1.5, 0));
        assertTrue(e.getMessage().startsWith("--validation_split: expected a number between 0.0 and 1.0, found 1.5"),
                e.getMessage());
    }
}
