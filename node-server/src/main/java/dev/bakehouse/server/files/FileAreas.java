package dev.bakehouse.server.files;

import java.nio.file.Path;
import java.util.Optional;

/** The three file areas clients address by {@code type}: input, output and temp (spec §7.1). */
public record FileAreas(Path input, Path output, Path temp) {

    /** The directory of a {@code type} value, or empty for anything else. */
    public Optional<Path> byType(String type) {
        return switch (type) {
            case "input" -> Optional.of(input);
            case "output" -> Optional.of(output);
            case "temp" -> Optional.of(temp);
            default -> Optional.empty();
        };
    }
}
