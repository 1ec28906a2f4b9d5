package dev.bakehouse.node.gachamax;

import java.util.Arrays;
import java.util.List;

/** Who picks a round's candidates. */
enum Picker {
    /** The scorer picks the best candidates as soon as they are out. */
    AUTO("auto"),
    /** A person picks in the editor's GACHAMAX panel (or {@code POST /bakehouse/gachamax/{loop}/pick}). */
    MANUAL("manual");

    final String key;

    Picker(String key) {
        this.key = key;
    }

    static List<String> keys() {
        return Arrays.stream(values()).map(p -> p.key).toList();
    }

    static Picker of(String key) {
        return Arrays.stream(values()).filter(p -> p.key.equals(key)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("picker: expected one of " + keys() + ", found '" + key + "'"));
    }
}
