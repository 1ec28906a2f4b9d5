package dev.bakehouse.train.loss;

import java.util.Arrays;
import java.util.stream.Collectors;

/** kohya's {@code --loss_type}. */
public enum LossType {
    L1("l1"),
    L2("l2"),
    HUBER("huber"),
    SMOOTH_L1("smooth_l1");

    private final String kohyaName;

    LossType(String kohyaName) {
        this.kohyaName = kohyaName;
    }

    public String kohyaName() {
        return kohyaName;
    }

    /** Whether the loss needs a per-sample threshold from {@link HuberThreshold}. */
    public boolean usesHuberThreshold() {
        return this == HUBER || this == SMOOTH_L1;
    }

    public static LossType fromKohya(String name) {
        for (LossType t : values()) {
            if (t.kohyaName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("--loss_type: expected one of "
                + Arrays.stream(values()).map(LossType::kohyaName).collect(Collectors.joining(", ")) + ", found '" + name + "'");
    }
}
