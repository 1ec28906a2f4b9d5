package dev.bakehouse.testing;

/** Closing what a test class's {@code @BeforeAll} opened. */
public final class SharedResources {
    private SharedResources() {}

    /**
     * Closes each resource in order, skipping nulls: when the fixtures are missing,
     * {@link Fixtures#root()} aborts {@code @BeforeAll} part-way and JUnit still runs
     * {@code @AfterAll}, which must not then turn the skip into a NullPointerException.
     */
    public static void close(AutoCloseable... resources) throws Exception {
        for (AutoCloseable resource : resources) {
            if (resource != null) {
                resource.close();
            }
        }
    }
}
