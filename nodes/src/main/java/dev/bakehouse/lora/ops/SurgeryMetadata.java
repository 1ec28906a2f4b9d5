package dev.bakehouse.lora.ops;

import dev.bakehouse.tensor.sd.DetectedArchitecture.Family;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metadata sd-scripts writes on the files its extract, merge and resize scripts make: the
 * minimum {@code ss_*} network fields ({@code train_util.build_minimum_network_metadata}) and the
 * SAI {@code modelspec.*} fields ({@code sai_model_spec.build_metadata}), values spelled as Python
 * prints them ({@code "4.0"}, {@code "False"}).
 */
public final class SurgeryMetadata {
    private SurgeryMetadata() {}

    private static final DateTimeFormatter ISO_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    /** The minimum ss_* fields; {@code networkArgsJson} null leaves ss_network_args out. */
    public static Map<String, String> minimumNetwork(Family family, String dim, String alpha, String networkArgsJson) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("ss_network_module", "networks.lora");
        m.put("ss_network_dim", dim);
        m.put("ss_network_alpha", alpha);
        if (family != null) {
            m.put("ss_v2", family == Family.SD2 ? "True" : "False");
            m.put("ss_base_model_version", family.kohyaBaseModelVersion());
        }
        if (networkArgsJson != null) {
            m.put("ss_network_args", networkArgsJson);
        }
        return m;
    }

    /** modelspec.* of a LoRA (kohya: architecture "…/lora", implementation "diffusers" for SD1/SD2). */
    public static Map<String, String> loraModelSpec(Family family, String title, Instant now, ZoneId zone) {
        Map<String, String> m = modelSpec(family, title, now, zone, null);
        m.put("modelspec.architecture", architecture(family) + "/lora");
        m.put("modelspec.implementation", family == Family.SDXL
                ? "https://github.com/Stability-AI/generative-models" : "diffusers");
        return m;
    }

    /** modelspec.* of a merged checkpoint, with kohya's {@code merged_from} (source titles joined by ", "). */
    public static Map<String, String> checkpointModelSpec(Family family, String title, Instant now, ZoneId zone, String mergedFrom) {
        Map<String, String> m = modelSpec(family, title, now, zone, mergedFrom);
        m.put("modelspec.architecture", architecture(family));
        m.put("modelspec.implementation", "https://github.com/Stability-AI/generative-models");
        return m;
    }

    private static Map<String, String> modelSpec(Family family, String title, Instant now, ZoneId zone, String mergedFrom) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("modelspec.sai_model_spec", "1.0.1");
        m.put("modelspec.title", title);
        m.put("modelspec.date", LocalDateTime.ofInstant(now.truncatedTo(ChronoUnit.SECONDS), zone).format(ISO_SECONDS));
        m.put("modelspec.resolution", family == Family.SDXL ? "1024x1024" : "512x512");
        m.put("modelspec.prediction_type", "epsilon");
        m.put("modelspec.implementation_version", "bakehouse");
        if (mergedFrom != null) {
            m.put("modelspec.merged_from", mergedFrom);
        }
        return m;
    }

    private static String architecture(Family family) {
        return switch (family) {
            case SD1 -> "stable-diffusion-v1";
            case SD2 -> "stable-diffusion-v2-512";
            case SDXL -> "stable-diffusion-xl-v1-base";
        };
    }

    /** The family a LoRA's {@code ss_base_model_version} names; SD1 when it names none. */
    public static Family familyOf(Map<String, String> loraMetadata) {
        String base = loraMetadata.getOrDefault("ss_base_model_version", "sd_v1");
        return base.startsWith("sdxl") ? Family.SDXL : base.startsWith("sd_v2") ? Family.SD2 : Family.SD1;
    }

    /** A file's name without its extension, as kohya's modelspec titles and merged_from use it. */
    public static String title(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** A number as Python's str(float) prints it: 4 -> "4.0", 0.5 -> "0.5". */
    public static String pyFloat(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e16) {
            return (long) v + ".0";
        }
        return Double.toString(v);
    }
}
