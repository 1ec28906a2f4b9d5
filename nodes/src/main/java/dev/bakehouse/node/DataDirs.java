package dev.bakehouse.node;

import dev.bakehouse.toy.EmbeddedToyModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The folders a server reads and writes, laid out like ComfyUI's under one data root:
 * {@code models/checkpoints}, {@code models/loras}, {@code models/vae}, {@code models/embeddings},
 * {@code input}, {@code output}, {@code temp}, {@code datasets}. Folders are created when first
 * asked for.
 *
 * <p>Models may also come from existing installs ({@link Builder#comfyUi}, {@link Builder#a1111});
 * they are searched after our own folder when listing and resolving model files.
 *
 * <p>Every user-supplied name goes through {@link #resolveInside}, which refuses absolute paths,
 * {@code ..} segments and symlinks leading out of the folder.
 */
public final class DataDirs {
    public static final String CHECKPOINTS = "checkpoints";
    public static final String LORAS = "loras";
    public static final String VAE = "vae";
    public static final String EMBEDDINGS = "embeddings";

    /** The file that makes a folder one model: diffusers' pipeline index. */
    public static final String MODEL_FOLDER_MARKER = "model_index.json";

    /** Extensions ComfyUI lists as model files. */
    private static final Set<String> MODEL_EXTENSIONS =
            Set.of(".safetensors", ".ckpt", ".pt", ".pth", ".bin", ".sft");

    /** Our LoRA Block Weight user presets, relative to the data root. */
    public static final String LBW_PRESETS = "lbw/presets.txt";

    private final Path root;
    private final Map<String, List<Path>> extraModelDirs;
    private final List<Path> extraLbwPresets;

    private DataDirs(Path root, Map<String, List<Path>> extraModelDirs, List<Path> extraLbwPresets) {
        this.root = root.toAbsolutePath().normalize();
        this.extraModelDirs = extraModelDirs;
        this.extraLbwPresets = extraLbwPresets;
    }

    /** A data root without extra model folders. */
    public static DataDirs of(Path root) {
        return builder(root).build();
    }

    public static Builder builder(Path root) {
        return new Builder(root);
    }

    public Path root() {
        return root;
    }

    /** Uploaded and loader images. */
    public Path input() {
        return ensure(root.resolve("input"));
    }

    /** Saved results. */
    public Path output() {
        return ensure(root.resolve("output"));
    }

    /** Previews. */
    public Path temp() {
        return ensure(root.resolve("temp"));
    }

    /** Training datasets. */
    public Path datasets() {
        return ensure(root.resolve("datasets"));
    }

    /**
     * The file area named by a {@code type} of {@code /view} and UI outputs.
     *
     * @throws IllegalArgumentException for anything but {@code input}, {@code output}, {@code temp}
     */
    public Path area(String type) {
        return switch (type) {
            case "input" -> input();
            case "output" -> output();
            case "temp" -> temp();
            default -> throw new IllegalArgumentException(
                    "unknown file area '" + type + "' (expected input, output or temp)");
        };
    }

    /**
     * LoRA Block Weight preset files ({@code NAME:v,v,…} lines), in reading order: those of extra
     * installs (A1111's {@code extensions/sd-webui-lora-block-weight/scripts/lbwpresets.txt},
     * ComfyUI's {@code custom_nodes/ComfyUI-Inspire-Pack/resources/lbw-preset.custom.txt}), then
     * ours, {@value #LBW_PRESETS}, so ours win. Files that do not exist are listed too.
     */
    public List<Path> lbwPresetFiles() {
        List<Path> files = new ArrayList<>(extraLbwPresets);
        files.add(root.resolve(LBW_PRESETS));
        return files;
    }

    /** Model folder names, as {@code GET /models} lists them. */
    public List<String> modelFolders() {
        return List.of(CHECKPOINTS, LORAS, VAE, EMBEDDINGS);
    }

    /** Our own folder for a model kind, e.g. {@code <root>/models/loras}. */
    public Path models(String folder) {
        requireModelFolder(folder);
        return ensure(root.resolve("models").resolve(folder));
    }

    /** Every folder searched for a model kind: ours first, then extra installs that exist. */
    public List<Path> modelDirs(String folder) {
        List<Path> dirs = new ArrayList<>();
        dirs.add(models(folder));
        for (Path extra : extraModelDirs.getOrDefault(folder, List.of())) {
            if (Files.isDirectory(extra)) {
                dirs.add(extra);
            }
        }
        return dirs;
    }

    /**
     * Models of a kind: paths relative to their folder with forward slashes, sorted, each name
     * once (a file in our folder hides one of the same name in an extra install). A folder holding
     * a {@value #MODEL_FOLDER_MARKER} (a diffusers pipeline) is one model, listed by its own path;
     * the files inside it are not listed; nor are a training state folder's.
     */
    public List<String> listModels(String folder) {
        Set<String> names = new TreeSet<>();
        for (Path dir : modelDirs(folder)) {
            try {
                Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path sub, BasicFileAttributes attrs) {
                        if (!sub.equals(dir) && isModelFolder(sub)) {
                            names.add(relativeName(dir, sub));
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                        if (isTrainingState(sub)) {
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        if (attrs.isRegularFile() && isModelFile(file)) {
                            names.add(relativeName(dir, file));
                        }
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list model folder " + dir, e);
            }
        }
        return List.copyOf(names);
    }

    /**
     * The choices of a checkpoint input: the installed checkpoints, then the embedded toy model
     * (always last, so a fresh install has one model ready and a user's own models come first).
     */
    public List<String> checkpointChoices() {
        List<String> names = new ArrayList<>(listModels(CHECKPOINTS));
        if (EmbeddedToyModel.available() && !names.contains(EmbeddedToyModel.NAME)) {
            names.add(EmbeddedToyModel.NAME);
        }
        return List.copyOf(names);
    }

    /**
     * The file behind a name from {@link #checkpointChoices}: an installed checkpoint of that name,
     * else (for {@code toy-sd1[.safetensors]}) the embedded toy model, copied into the data dir's cache.
     */
    public Path resolveCheckpoint(String name) {
        try {
            return resolveModel(CHECKPOINTS, name);
        } catch (IllegalArgumentException notInstalled) {
            if (EmbeddedToyModel.isName(name) && EmbeddedToyModel.available()) {
                return EmbeddedToyModel.file(root());
            }
            throw notInstalled;
        }
    }

    /** Whether {@code dir} is a model made of several files (see {@link #listModels}). */
    public static boolean isModelFolder(Path dir) {
        return Files.isRegularFile(dir.resolve(MODEL_FOLDER_MARKER));
    }

    /**
     * A training state folder ({@code <output_name>-state} beside TrainLoRA's files in
     * {@code models/loras}): its {@code lora.safetensors} is a resume point, not a LoRA to load.
     */
    private static boolean isTrainingState(Path dir) {
        return Files.isRegularFile(dir.resolve(dev.bakehouse.train.run.TrainingState.STATE_FILE));
    }

    private static String relativeName(Path dir, Path entry) {
        return dir.relativize(entry).toString().replace('\\', '/');
    }

    /**
     * The file, or model folder, behind a model name from {@link #listModels}.
     *
     * @throws IllegalArgumentException if the name is unsafe or no folder holds it
     */
    public Path resolveModel(String folder, String name) {
        List<Path> dirs = modelDirs(folder);
        for (Path dir : dirs) {
            Path candidate = resolveInside(dir, name);
            if (Files.isRegularFile(candidate) || Files.isDirectory(candidate) && isModelFolder(candidate)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException(
                "model '" + name + "' not found in " + folder + " (searched " + dirs + ")");
    }

    /**
     * Resolves a user-supplied relative path inside {@code base}.
     *
     * @throws IllegalArgumentException for an empty or absolute path, a {@code ..} segment, or a
     *                                  path whose real location (after symlinks) is outside
     *                                  {@code base}
     */
    public static Path resolveInside(Path base, String relative) {
        if (relative == null || relative.isEmpty()) {
            throw new IllegalArgumentException("empty file name");
        }
        String unified = relative.replace('\\', '/');
        if (unified.startsWith("/") || Path.of(relative).isAbsolute()) {
            throw new IllegalArgumentException("absolute path not allowed: " + relative);
        }
        for (String segment : unified.split("/")) {
            if (segment.equals("..")) {
                throw new IllegalArgumentException("'..' not allowed in path: " + relative);
            }
        }
        Path normalBase = base.toAbsolutePath().normalize();
        Path resolved = normalBase.resolve(unified).normalize();
        if (!resolved.startsWith(normalBase)) {
            throw new IllegalArgumentException("path escapes its folder: " + relative);
        }
        // The nearest part of the path that exists decides where it really leads (a file to be
        // written does not exist yet, but its folder may be a link).
        Path existing = resolved;
        while (!Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        try {
            if (existing.startsWith(normalBase)
                    && !existing.toRealPath().startsWith(normalBase.toRealPath())) {
                throw new IllegalArgumentException(
                        "path leads out of its folder through a link: " + relative);
            }
        } catch (IOException e) {
            // A dangling link or an unreadable folder: refuse rather than guess.
            throw new IllegalArgumentException("cannot resolve " + relative + ": " + e, e);
        }
        return resolved;
    }

    private static boolean isModelFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot >= 0 && MODEL_EXTENSIONS.contains(name.substring(dot));
    }

    private void requireModelFolder(String folder) {
        if (!modelFolders().contains(folder)) {
            throw new IllegalArgumentException(
                    "unknown model folder '" + folder + "' (known: " + modelFolders() + ")");
        }
    }

    private static Path ensure(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create folder " + dir, e);
        }
    }

    /** Adds model folders of existing installs. */
    public static final class Builder {
        private final Path root;
        private final Map<String, Set<Path>> extra = new LinkedHashMap<>();
        private final Set<Path> lbwPresets = new LinkedHashSet<>();

        private Builder(Path root) {
            this.root = root;
        }

        /**
         * An existing install of either kind, told apart by its folders: one with
         * {@code models/Stable-diffusion} is AUTOMATIC1111's ({@link #a1111}), anything else is
         * taken as ComfyUI's ({@link #comfyUi}).
         */
        public Builder install(Path installOrModels) {
            return Files.isDirectory(installOrModels.resolve("models").resolve("Stable-diffusion"))
                    ? a1111(installOrModels) : comfyUi(installOrModels);
        }

        /**
         * An existing ComfyUI install: either its root or its {@code models} folder
         * ({@code checkpoints}, {@code loras}, {@code vae}, {@code embeddings} below it).
         */
        public Builder comfyUi(Path installOrModels) {
            boolean isRoot = Files.isDirectory(installOrModels.resolve("models"));
            Path models = isRoot ? installOrModels.resolve("models") : installOrModels;
            if (isRoot) {
                lbwPresets.add(installOrModels.resolve("custom_nodes").resolve("ComfyUI-Inspire-Pack")
                        .resolve("resources").resolve("lbw-preset.custom.txt").toAbsolutePath().normalize());
            }
            add(CHECKPOINTS, models.resolve("checkpoints"));
            add(LORAS, models.resolve("loras"));
            add(VAE, models.resolve("vae"));
            add(EMBEDDINGS, models.resolve("embeddings"));
            return this;
        }

        /**
         * An existing AUTOMATIC1111 install root: {@code models/Stable-diffusion},
         * {@code models/Lora}, {@code models/VAE}, {@code embeddings}.
         */
        public Builder a1111(Path install) {
            add(CHECKPOINTS, install.resolve("models").resolve("Stable-diffusion"));
            add(LORAS, install.resolve("models").resolve("Lora"));
            add(VAE, install.resolve("models").resolve("VAE"));
            add(EMBEDDINGS, install.resolve("embeddings"));
            lbwPresets.add(install.resolve("extensions").resolve("sd-webui-lora-block-weight").resolve("scripts")
                    .resolve("lbwpresets.txt").toAbsolutePath().normalize());
            return this;
        }

        private void add(String folder, Path dir) {
            extra.computeIfAbsent(folder, k -> new LinkedHashSet<>())
                    .add(dir.toAbsolutePath().normalize());
        }

        public DataDirs build() {
            Map<String, List<Path>> frozen = new LinkedHashMap<>();
            extra.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
            return new DataDirs(root, Map.copyOf(frozen), List.copyOf(lbwPresets));
        }
    }
}
