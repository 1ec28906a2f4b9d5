package dev.bakehouse.server;

import dev.bakehouse.server.worker.PreviewMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything a server instance is started with. Start from {@link #defaults} and change fields
 * with the {@code with…} methods.
 *
 * @param listen address to bind; 127.0.0.1 unless the user asks otherwise
 * @param port 0 picks a free port
 * @param dataDir the root of models/, input/, output/, temp/, datasets/ and bakehouse.db
 * @param extraModelDirs existing ComfyUI or AUTOMATIC1111 installs whose models are listed too
 * @param authToken token every request must carry, or null for none
 * @param corsOrigin origin allowed to call from a browser page on another origin, or null
 * @param webRoot folder of static files served at {@code /}, or null for the editor bundled in the
 *     frontend-bridge jar
 * @param maxUploadBytes request size limit, advertised as {@code max_upload_size}
 * @param startGrace how long after the {@code POST /prompt} response a prompt may start (§3.3)
 * @param previewMethod live previews unless a prompt asks otherwise; {@code none} as the reference
 * @param device "cpu" or "cuda:N", reported in {@code /system_stats}
 * @param argv the command line, reported in {@code /system_stats}
 */
public record ServerConfig(
        String listen,
        int port,
        Path dataDir,
        List<Path> extraModelDirs,
        String authToken,
        String corsOrigin,
        Path webRoot,
        long maxUploadBytes,
        Duration startGrace,
        PreviewMethod previewMethod,
        String device,
        List<String> argv) {

    public static final int DEFAULT_PORT = 8188;
    public static final String DEFAULT_LISTEN = "127.0.0.1";
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 100L * 1024 * 1024;
    public static final Duration DEFAULT_START_GRACE = Duration.ofMillis(100);

    public ServerConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(startGrace, "startGrace");
        Objects.requireNonNull(previewMethod, "previewMethod");
        Objects.requireNonNull(device, "device");
        extraModelDirs = List.copyOf(extraModelDirs);
        argv = List.copyOf(argv);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        if (maxUploadBytes < 1) {
            throw new IllegalArgumentException("max upload size must be positive, was " + maxUploadBytes);
        }
        if (startGrace.isNegative()) {
            throw new IllegalArgumentException("start grace must not be negative, was " + startGrace);
        }
    }

    /** Defaults for a data dir: loopback, port 8188, no token, no CORS, CPU. */
    public static ServerConfig defaults(Path dataDir) {
        return new ServerConfig(DEFAULT_LISTEN, DEFAULT_PORT, dataDir, List.of(), null, null, null,
                DEFAULT_MAX_UPLOAD_BYTES, DEFAULT_START_GRACE, PreviewMethod.NONE, "cpu", List.of());
    }

    public ServerConfig withListen(String address, int newPort) {
        return new ServerConfig(address, newPort, dataDir, extraModelDirs, authToken, corsOrigin, webRoot,
                maxUploadBytes, startGrace, previewMethod, device, argv);
    }

    public ServerConfig withPort(int newPort) {
        return withListen(listen, newPort);
    }

    public ServerConfig withExtraModelDirs(List<Path> dirs) {
        return new ServerConfig(listen, port, dataDir, dirs, authToken, corsOrigin, webRoot,
                maxUploadBytes, startGrace, previewMethod, device, argv);
    }

    public ServerConfig withAuthToken(String token) {
        return new ServerConfig(listen, port, dataDir, extraModelDirs, token, corsOrigin, webRoot,
                maxUploadBytes, startGrace, previewMethod, device, argv);
    }

    public ServerConfig withCorsOrigin(String origin) {
        return new ServerConfig(listen, port, dataDir, extraModelDirs, authToken, origin, webRoot,
                maxUploadBytes, startGrace, previewMethod, device, argv);
    }

    public ServerConfig withWebRoot(Path folder) {
        return new ServerConfig(listen, port, dataDir, extraModelDirs, authToken, corsOrigin, folder,
                maxUploadBytes, startGrace, previewMethod, device, argv);
    }

    public ServerConfig withMaxUploadBytes(long bytes) {
        return new ServerConfig(listen, port, dataDir, extraModelDirs, authToken, corsOrigin, webRoot,
                bytes, startGrace, previewMethod, device, argv);
    }

    public ServerConfig withStartGrace(Duration grace) {
        return new ServerConfig(listen, port, dataDir, extraModelDirs, authToken, corsOrigin, webRoot,
                maxUploadBytes, grace, previewMethod, device, argv);
    }

    public ServerConfig withPreviewMethod(PreviewMethod method) {
        return new ServerConfig(listen, port, dataDir, extraModelDirs, authToken, corsOrigin, webRoot,
                maxUploadBytes, startGrace, method, device, argv);
    }

    public ServerConfig withDevice(String newDevice, List<String> commandLine) {
        return new ServerConfig(listen, port, dataDir, extraModelDirs, authToken, corsOrigin, webRoot,
                maxUploadBytes, startGrace, previewMethod, newDevice, commandLine);
    }
}
