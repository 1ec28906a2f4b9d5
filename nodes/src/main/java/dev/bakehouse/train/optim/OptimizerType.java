package dev.bakehouse.train.optim;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** kohya's {@code --optimizer_type} values that Bakehouse implements (matched case-insensitively, as kohya does). */
public enum OptimizerType {
    ADAMW("AdamW"),
    ADAMW_8BIT("AdamW8bit"),
    LION("Lion"),
    LION_8BIT("Lion8bit"),
    SGD_NESTEROV("SGDNesterov"),
    SGD_NESTEROV_8BIT("SGDNesterov8bit"),
    ADAFACTOR("AdaFactor"),
    DADAPT_ADAM("DAdaptAdam"),
    DADAPT_LION("DAdaptLion"),
    /** kohya's {@code DAdaptation} is an alias of this one (dadaptation.experimental). */
    DADAPT_ADAM_PREPRINT("DAdaptAdamPreprint"),
    PRODIGY("Prodigy");

    private final String kohyaName;

    OptimizerType(String kohyaName) {
        this.kohyaName = kohyaName;
    }

    public String kohyaName() {
        return kohyaName;
    }

    /** kohya's rule: empty means AdamW; the name is compared in lower case; DAdaptation is DAdaptAdamPreprint. */
    public static OptimizerType parse(String name) {
        if (name == null || name.isBlank()) {
            return ADAMW;
        }
        String lower = name.trim().toLowerCase(Locale.ROOT);
        if (lower.equals("dadaptation")) {
            return DADAPT_ADAM_PREPRINT;
        }
        for (OptimizerType t : values()) {
            if (t.kohyaName.toLowerCase(Locale.ROOT).equals(lower)) {
                return t;
            }
        }
        throw new IllegalArgumentException("optimizer_type '" + name + "' is not supported; supported: "
                + Arrays.stream(values()).map(OptimizerType::kohyaName).collect(Collectors.joining(", "))
                + ", DAdaptation (= DAdaptAdamPreprint)");
    }
}
