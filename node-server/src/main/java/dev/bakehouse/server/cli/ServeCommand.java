package dev.bakehouse.server.cli;

import dev.bakehouse.server.BakehouseServer;
import dev.bakehouse.server.ServerConfig;
import dev.bakehouse.server.worker.PreviewMethod;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bakehouse serve}: runs the HTTP/WebSocket server until stopped. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Run the ComfyUI-compatible node server.")
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--port", paramLabel = "N", defaultValue = "8188", description = "Port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--listen",
            paramLabel = "ADDR",
            defaultValue = ServerConfig.DEFAULT_LISTEN,
            description = "Address to bind (default: ${DEFAULT-VALUE}; use 0.0.0.0 to expose it, "
                    + "preferably with --auth-token).")
    String listen;

    @Option(
            names = "--auth-token",
            paramLabel = "T",
            description = "Require this token on every request: header 'Authorization: Bearer T' "
                    + "or query '?token=T' (for WebSockets and browsers).")
    String authToken;

    @Option(
            names = "--cors-origin",
            paramLabel = "ORIGIN",
            description = "Let browser pages from this origin (e.g. http://localhost:5173, or *) call the API: "
                    + "CORS headers on every response, and the cross-origin check is off.")
    String corsOrigin;

    @Option(
            names = "--web-root",
            paramLabel = "DIR",
            description = "Serve the static files of this folder at / instead of the bundled editor (for example "
                    + "ComfyUI's official frontend). Unknown paths stay 404.")
    Path webRoot;

    @Option(
            names = "--max-upload-size",
            paramLabel = "BYTES",
            defaultValue = "104857600",
            description = "Largest accepted request body (default: ${DEFAULT-VALUE}).")
    long maxUploadBytes;

    @Option(
            names = "--preview-method",
            paramLabel = "METHOD",
            defaultValue = "none",
            converter = PreviewMethodConverter.class,
            description = "Live sampler previews over the WebSocket: none, auto, latent2rgb or taesd "
                    + "(the last three all preview with latent2rgb). A prompt's extra_data.preview_method "
                    + "overrides it, as the ComfyUI frontend sends (default: ${DEFAULT-VALUE}, as ComfyUI).")
    PreviewMethod previewMethod;

    @Mixin
    CommonOptions common;

    /** Picocli reads enums by constant name; the option takes ComfyUI's lowercase names. */
    static final class PreviewMethodConverter implements ITypeConverter<PreviewMethod> {
        @Override
        public PreviewMethod convert(String value) {
            return PreviewMethod.parse(value);
        }
    }

    /** A wildcard bind address is not something to type into a browser; loopback reaches it. */
    static String browsableHost(String listen) {
        return switch (listen) {
            case "0.0.0.0", "::", "[::]" -> "127.0.0.1";
            default -> listen.contains(":") && !listen.startsWith("[") ? "[" + listen + "]" : listen;
        };
    }

    @Override
    public Integer call() throws InterruptedException {
        DeviceSetup.apply(common.device);
        List<String> argv = new ArrayList<>(List.of("bakehouse", "serve", "--listen", listen, "--port", Integer.toString(port)));
        ServerConfig config = ServerConfig.defaults(common.resolvedDataDir())
                .withListen(listen, port)
                .withExtraModelDirs(common.extraModelDirs)
                .withAuthToken(authToken)
                .withCorsOrigin(corsOrigin)
                .withWebRoot(webRoot)
                .withMaxUploadBytes(maxUploadBytes)
                .withPreviewMethod(previewMethod)
                .withDevice(common.device, argv);
        BakehouseServer server = BakehouseServer.builder(config)
                .models(common.modelSettings())
                .start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shutdown"));
        // The one line of a normal start (Jetty's and Javalin's own lines are off, see
        // simplelogger.properties): where to open the editor.
        System.out.printf("Bakehouse %s: http://%s:%d/%n", server.servesEditor() ? "editor" : "server",
                browsableHost(listen), server.port());
        stopped.await();
        return 0;
    }
}
