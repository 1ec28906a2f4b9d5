package dev.bakehouse.node.gachamax;

import java.util.Locale;

/** Where a round stands; stored by {@link #key()}. */
public enum RoundStatus {
    /** Its dataset version exists; training or candidate generation has not finished. */
    TRAINING,
    /** Candidates are out; a person picks them (the manual picker). */
    AWAITING_PICKS,
    /** Its picks (and drops) are known: the next round may start. */
    PICKED;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RoundStatus ofKey(String key) {
        for (RoundStatus s : values()) {
            if (s.key().equals(key)) {
                return s;
            }
        }
        throw new IllegalArgumentException("round status: expected one of training, awaiting_picks, picked; found '"
                + key + "'");
    }
}
