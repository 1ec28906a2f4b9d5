package dev.bakehouse.node.lora;

import dev.bakehouse.lora.lbw.LbwPresets;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.sd.FileVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where the block weight nodes find their presets and LoRA files: the built-in presets plus the
 * user preset files of {@link DataDirs#lbwPresetFiles()}, read on every run (they are small and
 * users edit them between prompts), and LoRAs named as A1111 names them.
 */
final class LbwSources {
    private static final String[] LORA_EXTENSIONS = {".safetensors", ".ckpt", ".pt"};

    private LbwSources() {}

    static LbwPresets presets(DataDirs dirs) {
        try {
            return LbwPresets.builtIn().withFiles(dirs.lbwPresetFiles());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a LoRA Block Weight preset file: " + e.getMessage(), e);
        }
    }

    /** The preset files as they are now, for fingerprints. */
    static List<FileVersion> presetVersions(DataDirs dirs) {
        List<FileVersion> out = new ArrayList<>();
        for (Path f : dirs.lbwPresetFiles()) {
            if (Files.isRegularFile(f)) {
                out.add(FileVersion.of(f));
            }
        }
        return out;
    }

    /**
     * The LoRA an A1111 tag names: a listed name as is, else the one whose path without its
     * extension, or whose file name without extension, equals {@code name} (A1111 names LoRAs by
     * file stem, so {@code <lora:style_v2:1>} finds {@code sub/style_v2.safetensors}).
     *
     * @throws IllegalArgumentException if none or several match, naming them
     */
    static String loraName(DataDirs dirs, String name) {
        List<String> all = dirs.listModels(DataDirs.LORAS);
        if (all.contains(name)) {
            return name;
        }
        List<String> byPath = all.stream().filter(n -> stem(n).equals(name)).toList();
        List<String> matches = byPath.isEmpty()
                ? all.stream().filter(n -> stem(n.substring(n.lastIndexOf('/') + 1)).equals(name)).toList() : byPath;
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (matches.isEmpty()) {
            throw new IllegalArgumentException("no LoRA named '" + name + "' in " + dirs.modelDirs(DataDirs.LORAS)
                    + " (looked for " + name + ".safetensors/.ckpt/.pt at any depth); available: "
                    + all.stream().limit(20).toList() + (all.size() > 20 ? " …" : ""));
        }
        throw new IllegalArgumentException("LoRA name '" + name + "' is ambiguous: " + matches
                + "; write the path, e.g. <lora:" + stem(matches.get(0)) + ":1>");
    }

    private static String stem(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (String ext : LORA_EXTENSIONS) {
            if (lower.endsWith(ext)) {
                return name.substring(0, name.length() - ext.length());
            }
        }
        return name;
    }
}
