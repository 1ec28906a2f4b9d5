package dev.bakehouse.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one place tests find the shared conformance fixtures ({@code ../shared/fixtures}).
 *
 * <p>Lookup order: system property {@code bakehouse.fixtures} (set by the build), environment
 * variable {@code BAKEHOUSE_FIXTURES}, then {@code shared/fixtures} beside any parent of the
 * working directory. A user's clone without {@code shared/} skips only the conformance tests,
 * saying what is missing; under CI ({@code CI=true}) a missing folder fails the test instead, so
 * conformance can never silently stop being checked.
 */
public final class Fixtures {
    private Fixtures() {}

    /** The fixtures folder, or aborts/fails the calling test as described above. */
    public static Path root() {
        Path found = locate();
        if (found == null) {
            String why = "shared conformance fixtures not found: set BAKEHOUSE_FIXTURES or place the "
                    + "shared/ folder beside the project checkout";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(why + " (required under CI)");
            }
            assumeTrue(false, why);
        }
        return found;
    }

    /** A file or folder inside the fixtures, which must exist. */
    public static Path file(String relative) {
        Path p = root().resolve(relative);
        if (!Files.exists(p)) {
            throw new AssertionError("fixture missing: " + p);
        }
        return p;
    }

    private static Path locate() {
        for (String candidate : new String[] {System.getProperty("bakehouse.fixtures"), System.getenv("BAKEHOUSE_FIXTURES")}) {
            if (candidate != null && !candidate.isBlank()) {
                Path p = Path.of(candidate).toAbsolutePath().normalize();
                if (Files.isDirectory(p)) {
                    return p;
                }
            }
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve("shared").resolve("fixtures");
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        return null;
    }
}
