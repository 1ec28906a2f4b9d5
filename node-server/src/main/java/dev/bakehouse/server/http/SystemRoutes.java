package dev.bakehouse.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.model.ComputeDevice;
import dev.bakehouse.server.json.Json;
import io.javalin.http.Context;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server information routes: {@code /system_stats}, {@code /features}, {@code /embeddings} and
 * {@code POST /free} (spec §3.11–§3.14); {@code /extensions} is {@link ExtensionScripts}.
 */
public final class SystemRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(SystemRoutes.class);

    /** The protocol version we implement, reported where clients expect ComfyUI's version. */
    public static final String COMFYUI_PROTOCOL_VERSION = "0.3.64";

    private final ObjectNode features;
    private final ComputeDevice device;
    private final List<String> argv;
    private final BiConsumer<Boolean, Boolean> free;

    /**
     * @param features the {@code /features} object (also the WebSocket feature_flags reply)
     * @param device {@code cpu} or {@code cuda:N}
     * @param free called with (unload_models, free_memory) of {@code POST /free}
     */
    public SystemRoutes(ObjectNode features, String device, List<String> argv, BiConsumer<Boolean, Boolean> free) {
        this.features = features;
        this.device = ComputeDevice.parse(device);
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
        entry.put("name", device.toString());
        entry.put("type", device.name());
        entry.put("index", Math.max(device.index(), 0));
        ComputeDevice.Memory vram = vram();
        entry.put("vram_total", vram.total());
        entry.put("vram_free", vram.free());
        // ComfyUI's torch_* figures are the caching allocator's reserved/unused bytes; DJL exposes
        // no allocator statistics, so they stay 0 rather than repeating the whole-GPU numbers.
        entry.put("torch_vram_total", 0);
        entry.put("torch_vram_free", 0);
        JsonBodies.respond(ctx, body);
    }

    /** The GPU's memory from the CUDA runtime; 0/0 on CPU, or when the runtime cannot answer. */
    private ComputeDevice.Memory vram() {
        try {
            return device.memory().orElse(new ComputeDevice.Memory(0, 0));
        } catch (RuntimeException e) { // a stats page must not fail because a driver call did
            LOG.warn("cannot read the memory of {}: {}", device, e.toString());
            return new ComputeDevice.Memory(0, 0);
        }
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
