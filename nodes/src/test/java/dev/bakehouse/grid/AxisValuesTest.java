package dev.bakehouse.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AxisValuesTest {
    private static final String AXIS = "X axis (Strength)";

    @Test
    void doubles_listsAndStepRanges_expandWithBothEndsIncluded() {
        assertEquals(List.of(0.0, 0.5, 1.0), AxisValues.doubles(AXIS, "0, 0.5 ,1"));
        assertEquals(List.of(0.0, 0.25, 0.5, 0.75, 1.0), AxisValues.doubles(AXIS, "0-1 (+0.25)"));
        assertEquals(List.of(0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0), AxisValues.doubles(AXIS, "0-1 (+0.1)"));
        assertEquals(List.of(1.0, 0.5, 0.0), AxisValues.doubles(AXIS, "1-0 (-0.5)"));
        assertEquals(List.of(-1.0, -0.5), AxisValues.doubles(AXIS, "-1 - -0.5 (+0.5)"));
        assertEquals(List.of(-0.25), AxisValues.doubles(AXIS, "-0.25"));
    }

    @Test
    void doubles_countRange_givesEvenlySpacedValues() {
        assertEquals(List.of(0.0, 0.25, 0.5, 0.75, 1.0), AxisValues.doubles(AXIS, "0-1 [5]"));
        assertEquals(List.of(2.0), AxisValues.doubles(AXIS, "2-3 [1]"));
    }

    @Test
    void longs_rangesCountUpDownAndByCount() {
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), AxisValues.longs("Y axis (Steps)", "1-5"));
        assertEquals(List.of(5L, 4L, 3L), AxisValues.longs("Y axis (Steps)", "5-3"));
        assertEquals(List.of(10L, 7L, 4L, 1L), AxisValues.longs("Y axis (Steps)", "10-1 (-3)"));
        // np.linspace(1, 10, 4).astype(int) = 1, 4, 7, 10
        assertEquals(List.of(1L, 4L, 7L, 10L), AxisValues.longs("Y axis (Steps)", "1-10 [4]"));
        // np.linspace(1, 2, 3).astype(int) = 1, 1, 2 (truncated, as A1111)
        assertEquals(List.of(1L, 1L, 2L), AxisValues.longs("Y axis (Steps)", "1-2 [3]"));
        assertEquals(List.of(3L, 10L, 11L, 12L), AxisValues.longs("Y axis (Steps)", "3, 10-12"));
    }

    @Test
    void strings_csvQuotesKeepCommas_blankItemsDropped() {
        assertEquals(List.of("red circle", "blue, big square", "say \"hi\""),
                AxisValues.strings("X axis (Prompt S/R)", "red circle,\"blue, big square\", ,\"say \"\"hi\"\"\""));
    }

    @Test
    void lines_splitOnSemicolonsOrNewLines_elseLikeStrings() {
        assertEquals(List.of("1,0,0", "ALL"), AxisValues.lines("Z axis (Block weight)", "1,0,0 ; ALL"));
        assertEquals(List.of("1,1", "0,1"), AxisValues.lines("Z axis (Block weight)", "1,1\n\n0,1\n"));
        assertEquals(List.of("ALL", "INS"), AxisValues.lines("Z axis (Block weight)", "ALL,INS"));
    }

    @Test
    void badInput_failsNamingTheAxisAndTheItem() {
        IllegalArgumentException notNumber = assertThrows(IllegalArgumentException.class,
                () -> AxisValues.doubles(AXIS, "0, half, 1"));
        assertTrue(notNumber.getMessage().startsWith("X axis (Strength): 'half' is not a number"), notNumber.getMessage());

        IllegalArgumentException wrongStep = assertThrows(IllegalArgumentException.class,
                () -> AxisValues.doubles(AXIS, "0-1 (-0.25)"));
        assertTrue(wrongStep.getMessage().contains("X axis (Strength): range '0-1 (-0.25)' never reaches 1"),
                wrongStep.getMessage());

        IllegalArgumentException fraction = assertThrows(IllegalArgumentException.class,
                () -> AxisValues.longs("Y axis (Seed)", "1.5"));
        assertTrue(fraction.getMessage().contains("Y axis (Seed): '1.5' is not an integer"), fraction.getMessage());

        IllegalArgumentException badRange = assertThrows(IllegalArgumentException.class,
                () -> AxisValues.doubles(AXIS, "0-1 (x)"));
        assertTrue(badRange.getMessage().contains("is not a range"), badRange.getMessage());

        IllegalArgumentException zeroCount = assertThrows(IllegalArgumentException.class,
                () -> AxisValues.longs("Y axis (Steps)", "1-10 [0]"));
        assertTrue(zeroCount.getMessage().contains("asks for 0 values"), zeroCount.getMessage());

        IllegalArgumentException huge = assertThrows(IllegalArgumentException.class,
                () -> AxisValues.longs("Y axis (Seed)", "1-100000"));
        assertTrue(huge.getMessage().contains("more than " + AxisValues.MAX_VALUES), huge.getMessage());

        IllegalArgumentException quote = assertThrows(IllegalArgumentException.class,
                () -> AxisValues.strings("X axis (Prompt S/R)", "a,\"b"));
        assertTrue(quote.getMessage().contains("X axis (Prompt S/R): a double quote is not closed"), quote.getMessage());
    }
}
