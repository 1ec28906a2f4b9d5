package dev.bakehouse.train.config;

/**
 * kohya's {@code int_or_float} value ({@code --lr_warmup_steps}, {@code --lr_decay_steps}): a
 * value of 1 or more is a step count, a value below 1 (or {@code N%}) a ratio of the total steps.
 */
public record StepsOrRatio(int steps, double ratio, boolean isRatio) {
    public static final StepsOrRatio ZERO = new StepsOrRatio(0, 0, false);

    /** Parses as kohya's {@code int_or_float} does: {@code 80}, {@code 0.1} or {@code 10%}. */
    public static StepsOrRatio parse(String text) {
        String value = text.strip();
        if (value.endsWith("%")) {
            return new StepsOrRatio(0, Double.parseDouble(value.substring(0, value.length() - 1)) / 100.0, true);
        }
        double number = Double.parseDouble(value);
        if (number >= 1) {
            return new StepsOrRatio(Integer.parseInt(value), 0, false);
        }
        return new StepsOrRatio(0, number, true);
    }

    /** The step count for a run of {@code totalSteps}. */
    public int resolve(int totalSteps) {
        return isRatio ? (int) (ratio * totalSteps) : steps;
    }

    @Override
    public String toString() {
        return isRatio ? Double.toString(ratio) : Integer.toString(steps);
    }
}
