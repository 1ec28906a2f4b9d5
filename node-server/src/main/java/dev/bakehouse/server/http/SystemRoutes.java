package dev.bakehouse.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.server.json.Json;
import io.javalin.http.Context;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Server information routes: {@code /system_stats}, {@code /features}, {@code /embeddings},
 * {@code /extensions} and {@code POST /free} (spec §3.11–§3.14).
 */
public final class SystemRoutes {
    /** The protocol version we implement, reported where clients expect ComfyUI's version. */
    public static final String COMFYUI_PROTOCOL_VERSION = "0.3.64";

    private final ObjectNode features;
    private final String device;
    private final List<String> argv;
    private final BiConsumer<Boolean, Boolean> free;

    /**
     * @param features the {@code /features} object (also the WebSocket feature_flags reply)
     * @param device "cpu" or "cuda"
     * @param free called with (unload_models, free_memory) of {@code POST /free}
     */
    public SystemRoutes(ObjectNode features, String device, List<String> argv, BiConsumer<Boolean, Boolean> free) {
        this.features = features;
        this.device = device;
        this.argv = List.copyOf(argv);
        this.free = free;
    }

    /** The {@code GET /features} object. */
    public static ObjectNode features(long maxUploadBytes) {
        ObjectNode features = Json.object();
        features.put("supports_preview_metadata", true);
        features.put("max_upload_size", maxUploadBytes);
        return features;
    }

    public void register(ApiRouter router) {
        router.get("/system_stats", this::systemStats);
        router.get("/features", ctx -> JsonBodies.respond(ctx, features));
        router.get("/extensions", ctx -> JsonBodies.respond(ctx, Json.array()));
        router.post("/free", this::free);
    }

    private void systemStats(Context ctx) {
        ObjectNode body = Json.object();
        ObjectNode system = body.putObject("system");
        system.put("os", File.separatorChar == '\\' ? "nt" : "posix");
        long[] ram = ram();
        system.put("ram_total", ram[0]);
        system.put("ram_free", ram[1]);
        system.put("comfyui_version", COMFYUI_PROTOCOL_VERSION);
        system.put("required_frontend_version", "");
        system.put("installed_templates_version", "");
        system.put("required_templates_version", "");
        system.put("python_version", "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")");
        system.put("pytorch_version", "libtorch " + libtorchVersion() + " via DJL");
        system.put("embedded_python", false);
        ArrayNode args = system.putArray("argv");
        argv.forEach(args::add);
        system.put("bakehouse_version", bakehouseVersion());
        ArrayNode devices = body.putArray("devices");
        ObjectNode entry = devices.addObject();
        entry.put("name", device);
        entry.put("type", device);
        entry.put("index", 0);
        entry.put("vram_total", 0);
        entry.put("vram_free", 0);
        entry.put("torch_vram_total", 0);
        entry.put("torch_vram_free", 0);
        JsonBodies.respond(ctx, body);
    }

    private void free(Context ctx) {
        ObjectNode body = JsonBodies.object(ctx);
        free.accept(body.path("unload_models").asBoolean(false), body.path("free_memory").asBoolean(false));
        JsonBodies.empty(ctx);
    }

    /** Total and free physical memory in bytes. */
    private static long[] ram() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return new long[] {os.getTotalMemorySize(), os.getFreeMemorySize()};
        }
        return new long[] {Runtime.getRuntime().maxMemory(), Runtime.getRuntime().freeMemory()};
    }

    private static String libtorchVersion() {
        String configured = System.getenv("PYTORCH_VERSION");
        return configured == null || configured.isEmpty() ? "2.7.1" : configured;
    }

    private static String bakehouseVersion() {
        String version = SystemRoutes.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }
}
