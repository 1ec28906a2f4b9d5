package dev.bakehouse.train.schedule;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** kohya's {@code --lr_scheduler} values that Bakehouse implements. */
public enum SchedulerType {
    CONSTANT, CONSTANT_WITH_WARMUP, LINEAR, COSINE, COSINE_WITH_RESTARTS, POLYNOMIAL,
    /** transformers' AdafactorSchedule: relative-step Adafactor reports its own lr. */
    ADAFACTOR;

    public String kohyaName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Also accepts kohya's internal {@code adafactor:<initial_lr>} form. */
    public static SchedulerType parse(String name) {
        String n = name == null ? "" : name.trim();
        if (n.startsWith("adafactor")) {
            return ADAFACTOR;
        }
        for (SchedulerType t : values()) {
            if (t.kohyaName().equals(n)) {
                return t;
            }
        }
        throw new IllegalArgumentException("lr_scheduler '" + name + "' is not supported; supported: "
                + Arrays.stream(values()).map(SchedulerType::kohyaName).collect(Collectors.joining(", ")));
    }
}
