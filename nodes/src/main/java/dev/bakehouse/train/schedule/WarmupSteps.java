package dev.bakehouse.train.schedule;

/**
 * kohya's {@code --lr_warmup_steps} ({@code int_or_float}): {@code "N%"} and values below 1 are a
 * ratio of the training steps, {@code int(ratio * T)}; values of 1 or more must be integers and
 * are a count (not multiplied by the number of processes).
 */
public record WarmupSteps(Long count, Double ratio) {
    public WarmupSteps {
        if ((count == null) == (ratio == null)) {
            throw new IllegalArgumentException("lr_warmup_steps is either a count or a ratio");
        }
    }

    public static WarmupSteps none() {
        return new WarmupSteps(0L, null);
    }

    public static WarmupSteps parse(String arg) {
        String v = arg.trim();
        try {
            if (v.endsWith("%")) {
                return new WarmupSteps(null, Double.parseDouble(v.substring(0, v.length() - 1)) / 100.0);
            }
            double d = Double.parseDouble(v);
            if (d >= 1) {
                return new WarmupSteps(Long.parseLong(v), null);
            }
            return new WarmupSteps(null, d);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("lr_warmup_steps: '" + arg
                    + "' is not an int, a float below 1 or a percentage such as 5%");
        }
    }

    /** The warmup step count W for {@code numTrainingSteps} = T. */
    public long resolve(long numTrainingSteps) {
        return count != null ? count : (long) (ratio * numTrainingSteps);
    }
}
