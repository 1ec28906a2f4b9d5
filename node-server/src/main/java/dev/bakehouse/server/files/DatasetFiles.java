package dev.bakehouse.server.files;

import dev.bakehouse.io.AtomicFiles;
import dev.bakehouse.train.data.DreamBoothFolders;
import dev.bakehouse.train.data.SubsetFolder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The kohya dataset folders under the data dir's {@code datasets/} as the dataset view sees them:
 * each {@code N_name} sub-folder with its repeats, images and captions (read as kohya reads them,
 * {@code .txt} beside the image), an image's bytes, and a caption written back atomically. Every
 * name and file comes from a request, so each is confined to the datasets folder: a dataset is a
 * plain folder name, a file is {@code <subset folder>/<image>} with no {@code ..}, no absolute path,
 * no backslash, and it must really lie inside (symlinks followed) and be an image kohya would
 * train on. Refusals are 400 (bad name or path) or 404 (no such dataset or image).
 */
public final class DatasetFiles {
    /** The caption extension the view reads and writes (kohya's default). */
    public static final String CAPTION_EXTENSION = ".txt";

    /** One image: its path relative to the dataset folder, caption (null when none) and caption file. */
    public record Image(String file, String caption, String captionFile) {}

    /** One {@code N_name} folder: its name, repeats, class tokens and images. */
    public record Subset(String folder, int repeats, String classTokens, List<Image> images) {}

    /** A dataset folder: its subsets and kohya's warnings (folders without repeats, bad captions). */
    public record Listing(String name, List<Subset> subsets, List<String> warnings) {}

    private final Path root;

    /** @param datasetsRoot the data dir's {@code datasets/} folder */
    public DatasetFiles(Path datasetsRoot) {
        this.root = datasetsRoot.toAbsolutePath().normalize();
    }

    /** Folder names directly under the datasets folder, sorted. */
    public List<String> names() throws IOException {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return names;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                if (Files.isDirectory(entry) && !entry.getFileName().toString().startsWith(".")) {
                    names.add(entry.getFileName().toString());
                }
            }
        }
        names.sort(null);
        return names;
    }

    public Listing list(String name) throws FileRefusal, IOException {
        Path folder = dataset(name);
        List<String> warnings = new ArrayList<>();
        List<Subset> subsets = new ArrayList<>();
        for (SubsetFolder subset : DreamBoothFolders.scan(folder, null, warnings)) {
            List<Image> images = new ArrayList<>();
            for (Path image : DreamBoothFolders.images(subset.imageDir())) {
                images.add(describe(folder, image, warnings));
            }
            subsets.add(new Subset(subset.folderName(), subset.numRepeats(), subset.classTokens(), images));
        }
        return new Listing(name, subsets, warnings);
    }

    /** The image file named by {@code file} ({@code <subset>/<image>}) in dataset {@code name}. */
    public Path image(String name, String file) throws FileRefusal, IOException {
        Path folder = dataset(name);
        if (file == null || file.isEmpty()) {
            throw new FileRefusal(400, "file: expected <subset folder>/<image> inside dataset '" + name + "', found nothing");
        }
        if (SafePaths.hasForbiddenCharacter(file) || file.startsWith("/") || file.contains("..")) {
            throw new FileRefusal(400, "file: expected <subset folder>/<image> inside dataset '" + name
                    + "', found '" + file + "' (absolute, '..' and backslashes are refused)");
        }
        Path resolved = SafePaths.lexicallyInside(folder, file);
        if (resolved == null || resolved.getNameCount() != folder.getNameCount() + 2) {
            throw new FileRefusal(400, "file: expected <subset folder>/<image> inside dataset '" + name
                    + "', found '" + file + "'");
        }
        if (!Files.exists(resolved)) {
            throw new FileRefusal(404, "file: no image '" + file + "' in dataset '" + name + "'");
        }
        if (!SafePaths.reallyInside(folder, resolved)) {
            throw new FileRefusal(400, "file: '" + file + "' leads outside dataset '" + name + "'");
        }
        if (!DreamBoothFolders.images(resolved.getParent()).contains(resolved)) {
            throw new FileRefusal(400, "file: '" + file + "' is not an image kohya trains on (.png, .jpg, .jpeg, "
                    + ".webp, .bmp)");
        }
        return resolved;
    }

    /**
     * Writes {@code caption} as the caption of image {@code file}: into the caption file kohya
     * reads for it, else a new {@code .txt} beside it; atomically, so a training run never reads
     * half a caption.
     */
    public Image writeCaption(String name, String file, String caption) throws FileRefusal, IOException {
        Path image = image(name, file);
        if (caption == null || caption.isBlank()) {
            throw new FileRefusal(400, "caption: expected text for '" + file
                    + "', found an empty caption (kohya stops on an empty caption file)");
        }
        if (caption.indexOf('\0') >= 0) {
            throw new FileRefusal(400, "caption: NUL characters are not allowed");
        }
        DreamBoothFolders.Caption existing;
        try {
            existing = DreamBoothFolders.caption(image, CAPTION_EXTENSION);
        } catch (IOException unreadable) { // an empty or broken caption file is the one to repair
            existing = null;
        }
        Path folder = dataset(name);
        Path target = (existing != null ? existing.file() : DreamBoothFolders.newCaptionFile(image, CAPTION_EXTENSION))
                .toAbsolutePath().normalize();
        // kohya's "face crop" caption name can point at another folder; a symlinked caption anywhere.
        if (!target.startsWith(folder) || (Files.exists(target) && !SafePaths.reallyInside(folder, target))) {
            throw new FileRefusal(400, "caption: the caption file of '" + file + "' lies outside dataset '" + name + "'");
        }
        AtomicFiles.write(target, caption.getBytes(StandardCharsets.UTF_8));
        return describe(folder, image, new ArrayList<>());
    }

    private Image describe(Path folder, Path image, List<String> warnings) {
        String file = relative(folder, image);
        try {
            DreamBoothFolders.Caption caption = DreamBoothFolders.caption(image, CAPTION_EXTENSION);
            return caption == null ? new Image(file, null, null)
                    : new Image(file, caption.text(), relative(folder, caption.file()));
        } catch (IOException e) {
            warnings.add(e.getMessage());
            return new Image(file, null, relative(folder, DreamBoothFolders.newCaptionFile(image, CAPTION_EXTENSION)));
        }
    }

    private static String relative(Path folder, Path file) {
        return folder.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    private Path dataset(String name) throws FileRefusal {
        if (name == null || name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/")
                || SafePaths.hasForbiddenCharacter(name)) {
            throw new FileRefusal(400, "dataset: expected a folder name under datasets/, found '" + name + "'");
        }
        Path folder = SafePaths.lexicallyInside(root, name);
        if (folder == null || !Files.isDirectory(folder)) {
            throw new FileRefusal(404, "dataset: no folder '" + name + "' under datasets/");
        }
        return folder;
    }
}
