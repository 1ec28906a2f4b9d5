package dev.bakehouse.server.cli;

import java.util.Locale;

/**
 * Points DJL at the right libtorch before anything touches it, so that {@code java -jar
 * bakehouse.jar} behaves like the launcher script: on CPU the libtorch inside the jar is used and
 * DJL stays offline; on CUDA DJL looks for libtorch 2.7.1 built for CUDA 12.8 (downloaded once, or
 * the one named by {@code PYTORCH_LIBRARY_PATH}). Settings the user made (environment variables
 * or system properties) win.
 */
final class DeviceSetup {
    private DeviceSetup() {}

    /** @param device "cpu" or "cuda" (validated by the option) */
    static void apply(String device) {
        switch (device.toLowerCase(Locale.ROOT)) {
            case "cpu" -> {
                setIfAbsent("ai.djl.offline", "true");
                setIfAbsent("PYTORCH_FLAVOR", "cpu");
            }
            case "cuda" -> {
                setIfAbsent("PYTORCH_VERSION", "2.7.1");
                setIfAbsent("PYTORCH_FLAVOR", "cu128");
            }
            default -> throw new IllegalArgumentException("--device must be cpu or cuda, was '" + device + "'");
        }
    }

    /** DJL reads these names both as environment variables and as system properties. */
    private static void setIfAbsent(String name, String value) {
        if (System.getenv(name) == null && System.getProperty(name) == null) {
            System.setProperty(name, value);
        }
    }
}
