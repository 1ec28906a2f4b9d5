package dev.bakehouse.node.gachamax;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One GACHAMAX loop: its name and the user's dataset it started from (never edited; round 1's
 * dataset version is a copy of it).
 *
 * @param name          letters, digits, '-' and '_' (it names folders and LoRA files)
 * @param sourceFolder  the starting dataset folder, absolute
 * @param createdMillis when the loop was created
 */
public record LoopRecord(String name, String sourceFolder, long createdMillis) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public LoopRecord {
        checkName(name);
        Objects.requireNonNull(sourceFolder, "sourceFolder");
    }

    /** The loop name as given, or an error saying what a loop name may hold. */
    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("GACHAMAX loop name: expected 1 to 64 letters, digits, '-' or '_', found '"
                    + name + "'");
        }
        return name;
    }
}
