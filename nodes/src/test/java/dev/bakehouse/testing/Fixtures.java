package dev.bakehouse.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one place tests find the shared conformance fixtures ({@code ../shared/fixtures}).
 *
 * <p>Lookup: the system property {@code bakehouse.fixtures} ({@code mvn test -Dbakehouse.fixtures=DIR})
 * or else the environment variable {@code BAKEHOUSE_FIXTURES}; a folder named there is used as
 * given, never silently replaced by another one, so pointing it at a missing folder reproduces a
 * clone without fixtures. With neither set, {@code shared/fixtures} beside any parent of the
 * working directory. A user's clone without fixtures skips the conformance tests, saying what is
 * missing ({@link SkipAbortedClasses} turns a skip in {@code @BeforeAll} into a skip of every
 * test of the class, {@link FixtureSkipSummary} prints the count); under CI ({@code CI=true}) a
 * missing folder fails the test instead, so conformance can never silently stop being checked.
 */
public final class Fixtures {
    /** Every skip for missing fixtures starts with this, so the build summary can count them. */
    public static final String MISSING = "shared conformance fixtures not found";

    private Fixtures() {}

    /** The fixtures folder, or aborts/fails the calling test as described above. */
    public static Path root() {
        Located located = locate();
        if (located.folder() == null) {
            String why = MISSING + ": " + located.looked() + "; set BAKEHOUSE_FIXTURES to the fixtures folder "
                    + "(the shared/fixtures folder that sits beside the project checkout)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(why + " (required under CI)");
            }
            assumeTrue(false, why);
        }
        return located.folder();
    }

    /** A file or folder inside the fixtures, which must exist. */
    public static Path file(String relative) {
        Path p = root().resolve(relative);
        if (!Files.exists(p)) {
            throw new AssertionError("fixture missing: " + p);
        }
        return p;
    }

    private record Located(Path folder, String looked) {}

    private static Located locate() {
        String[][] named = {
            {"system property bakehouse.fixtures", System.getProperty("bakehouse.fixtures")},
            {"environment variable BAKEHOUSE_FIXTURES", System.getenv("BAKEHOUSE_FIXTURES")},
        };
        for (String[] source : named) {
            if (source[1] != null && !source[1].isBlank()) {
                Path p = Path.of(source[1]).toAbsolutePath().normalize();
                return Files.isDirectory(p) ? new Located(p, null)
                        : new Located(null, source[0] + " names " + p + ", which is not a folder");
            }
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path p = dir.resolve("shared").resolve("fixtures");
            if (Files.isDirectory(p)) {
                return new Located(p, null);
            }
        }
        return new Located(null, "no shared/fixtures folder in " + start + " or any folder above it");
    }
}
