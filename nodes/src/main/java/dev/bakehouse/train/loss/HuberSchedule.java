package dev.bakehouse.train.loss;

import java.util.Arrays;
import java.util.stream.Collectors;

/** kohya's {@code --huber_schedule}: how the huber threshold varies with the timestep. */
public enum HuberSchedule {
    CONSTANT("constant"),
    EXPONENTIAL("exponential"),
    SNR("snr");

    private final String kohyaName;

    HuberSchedule(String kohyaName) {
        this.kohyaName = kohyaName;
    }

    public String kohyaName() {
        return kohyaName;
    }

    public static HuberSchedule fromKohya(String name) {
        for (HuberSchedule s : values()) {
            if (s.kohyaName.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("--huber_schedule: expected one of "
                + Arrays.stream(values()).map(HuberSchedule::kohyaName).collect(Collectors.joining(", ")) + ", found '" + name + "'");
    }
}
