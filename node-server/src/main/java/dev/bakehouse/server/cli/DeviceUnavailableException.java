package dev.bakehouse.server.cli;

/** {@code --device} names a GPU this machine does not have; the CLI prints the message and exits 2. */
final class DeviceUnavailableException extends RuntimeException {
    DeviceUnavailableException(String message) {
        super(message);
    }
}
