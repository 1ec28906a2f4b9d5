package dev.bakehouse.server.worker;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Whether a run sends live sampler previews (spec §5.6), in ComfyUI's names. The server starts
 * with one ({@code --preview-method}, default {@link #NONE} as the reference), and a prompt may
 * choose its own through {@code extra_data.preview_method} (what later releases do, and what the
 * official frontend sends). The default matters to API clients: one npm client collects every
 * binary preview of its prompt into the prompt's result images, so a server that previews
 * unasked hands it extra low-resolution images the reference never sends.
 *
 * <p>Every method but {@code none} previews with the latent-to-RGB projection: there is no TAESD
 * decoder here, and the reference falls back to latent2rgb too when it has none.
 */
public enum PreviewMethod {
    NONE,
    AUTO,
    LATENT2RGB,
    TAESD;

    /** The option value as ComfyUI spells it ({@code none}, {@code auto}, …). */
    public String comfyName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean previews() {
        return this != NONE;
    }

    /** Parses a ComfyUI name; the error lists the accepted ones. */
    public static PreviewMethod parse(String name) {
        PreviewMethod method = find(name);
        if (method != null) {
            return method;
        }
        throw new IllegalArgumentException("unknown preview method '" + name + "', expected one of "
                + Arrays.stream(values()).map(PreviewMethod::comfyName).collect(Collectors.joining(", ")));
    }

    /**
     * The method of one run: {@code extra_data.preview_method} when it names one, else the
     * server's. The frontend's {@code "default"} (and anything unknown) means the server's.
     */
    public static PreviewMethod forRun(JsonNode extraData, PreviewMethod serverDefault) {
        JsonNode requested = extraData.path("preview_method");
        PreviewMethod method = requested.isTextual() ? find(requested.asText()) : null;
        return method != null ? method : serverDefault;
    }

    private static PreviewMethod find(String name) {
        return Arrays.stream(values()).filter(m -> m.comfyName().equals(name)).findFirst().orElse(null);
    }
}
