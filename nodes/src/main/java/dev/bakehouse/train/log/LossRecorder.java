package dev.bakehouse.train.log;

import java.util.ArrayList;
import java.util.List;

/**
 * kohya's {@code avr_loss}: during the first epoch the mean of every loss so far; afterwards each
 * step replaces the loss recorded at the same position of the previous epoch, so it becomes a
 * moving average over one epoch's worth of steps.
 */
public final class LossRecorder {
    private final List<Double> byPosition = new ArrayList<>();
    private double total;

    /**
     * @param epoch       0-based epoch of this run (a resumed run starts its recorder afresh, as kohya)
     * @param stepInEpoch 0-based position of the batch in its epoch
     */
    public void add(int epoch, int stepInEpoch, double loss) {
        if (epoch == 0) {
            byPosition.add(loss);
        } else {
            while (byPosition.size() <= stepInEpoch) {
                byPosition.add(0.0);
            }
            total -= byPosition.get(stepInEpoch);
            byPosition.set(stepInEpoch, loss);
        }
        total += loss;
    }

    public double movingAverage() {
        return byPosition.isEmpty() ? Double.NaN : total / byPosition.size();
    }
}
