package dev.bakehouse.server.cli;

import dev.bakehouse.model.ComputeDevice;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Points DJL at the right libtorch before anything touches it, so that {@code java -jar
 * bakehouse.jar} behaves like the launcher script: on CPU the libtorch inside the jar is used and
 * DJL stays offline; on CUDA DJL looks for libtorch 2.7.1 built for CUDA 12.8 (downloaded once, or
 * the one named by {@code PYTORCH_LIBRARY_PATH}). Settings the user made (environment variables
 * or system properties) win.
 */
final class DeviceSetup {
    private DeviceSetup() {}

    /**
     * @param device {@code cpu}, {@code cuda} or {@code cuda:N}
     * @return the parsed device
     * @throws DeviceUnavailableException for a CUDA device this machine does not have
     */
    static ComputeDevice apply(String device) {
        ComputeDevice parsed = ComputeDevice.parse(device);
        if (parsed.equals(ComputeDevice.CPU)) {
            setIfAbsent("ai.djl.offline", "true");
            setIfAbsent("PYTORCH_FLAVOR", "cpu");
            return parsed;
        }
        try {
            parsed.requireAvailable();
        } catch (IllegalStateException e) {
            throw new DeviceUnavailableException(e.getMessage());
        }
        setIfAbsent("PYTORCH_VERSION", "2.7.1");
        setIfAbsent("PYTORCH_FLAVOR", "cu128");
        return parsed;
    }

    /** The {@code --device} value of every command, normalised ({@code cuda} is {@code cuda:0}). */
    static String checkOption(CommandLine cli, String value) {
        try {
            return ComputeDevice.parse(value).toString();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cli, "--device must be cpu, cuda or cuda:N, was '" + value + "'");
        }
    }

    /** DJL reads these names both as environment variables and as system properties. */
    private static void setIfAbsent(String name, String value) {
        if (System.getenv(name) == null && System.getProperty(name) == null) {
            System.setProperty(name, value);
        }
    }
}
