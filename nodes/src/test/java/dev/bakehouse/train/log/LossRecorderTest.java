package dev.bakehouse.train.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LossRecorderTest {

    @Test
    void firstEpoch_isTheMeanOfEveryLoss() {
        LossRecorder r = new LossRecorder();
        assertTrue(Double.isNaN(r.movingAverage()));
        r.add(0, 0, 1.0);
        r.add(0, 1, 2.0);
        r.add(0, 2, 6.0);
        assertEquals(3.0, r.movingAverage(), 1e-12);
    }

    @Test
    void laterEpochs_replaceTheLossAtTheSamePosition() {
        LossRecorder r = new LossRecorder();
        r.add(0, 0, 1.0);
        r.add(0, 1, 2.0);
        r.add(0, 2, 6.0);
        r.add(1, 0, 4.0); // replaces 1.0
        assertEquals((4.0 + 2.0 + 6.0) / 3, r.movingAverage(), 1e-12);
        r.add(1, 1, 0.0); // replaces 2.0
        assertEquals((4.0 + 0.0 + 6.0) / 3, r.movingAverage(), 1e-12);
    }

    @Test
    void resumedMidRun_padsMissingPositionsWithZero_asKohya() {
        LossRecorder r = new LossRecorder();
        r.add(2, 2, 3.0); // a resumed run: positions 0 and 1 count as 0
        assertEquals(1.0, r.movingAverage(), 1e-12);
    }
}
