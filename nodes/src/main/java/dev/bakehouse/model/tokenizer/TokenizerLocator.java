package dev.bakehouse.model.tokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the SD 1.x CLIP tokenizer files ({@code vocab.json} + {@code merges.txt}). Places are tried
 * in the order they were added; the default order is:
 * <ol>
 *   <li>a configured folder ({@link #configured}, or env {@code BAKEHOUSE_CLIP_TOKENIZER});</li>
 *   <li>the data dir's {@code models/tokenizers/clip-vit-large-patch14/} ({@link #dataDir});</li>
 *   <li>the model's own folder and its {@code tokenizer/} subfolder (diffusers layout);</li>
 *   <li>a ComfyUI install: {@code comfy/sd1_tokenizer/} (env {@code COMFYUI_PATH});</li>
 *   <li>the Hugging Face cache, where A1111 and diffusers keep
 *       {@code models--openai--clip-vit-large-patch14/snapshots/<rev>/} (env {@code HF_HUB_CACHE},
 *       {@code HF_HOME}/hub, {@code XDG_CACHE_HOME}/huggingface/hub, {@code ~/.cache/huggingface/hub});</li>
 *   <li>the copy bundled in the jar ({@link BundledTokenizer}), so the standard search always
 *       succeeds; a user's own files still win.</li>
 * </ol>
 * A folder counts only if both files are regular files in it. When nothing is found (a locator
 * built without {@link #bundled}) the error lists every place looked at and why it did not count.
 */
public final class TokenizerLocator {
    static final String HF_REPO_FOLDER = "models--openai--clip-vit-large-patch14";
    static final String COMFY_TOKENIZER = "comfy/sd1_tokenizer";
    private static final String BUNDLED = "bundled with Bakehouse";
    /** Where a data dir keeps the tokenizer, beside its other models. */
    public static final String DATA_DIR_TOKENIZER = "models/tokenizers/clip-vit-large-patch14";

    private final List<Place> places = new ArrayList<>();

    /** One kind of place and the folder it points to (null for the bundled copy). */
    private record Place(String kind, Path folder) {}

    /** An empty locator; add places with the {@code with…} methods. */
    public TokenizerLocator() {}

    /**
     * The default search: configured folder, then the model folder (may be null), a ComfyUI
     * install, the HF cache and the bundled copy, read from {@code env} and {@code home} (passed in, so tests
     * control them).
     */
    public static TokenizerLocator standard(Path configured, Path modelFolder, Map<String, String> env, Path home) {
        return standard(configured, null, modelFolder, env, home);
    }

    /**
     * The default search with a data dir: configured folder, env, the data dir's tokenizer
     * folder, then the model folder, a ComfyUI install, the HF cache and last the bundled copy.
     * {@code configured},
     * {@code dataRoot} and {@code modelFolder} may be null.
     */
    public static TokenizerLocator standard(Path configured, Path dataRoot, Path modelFolder, Map<String, String> env,
            Path home) {
        TokenizerLocator locator = new TokenizerLocator();
        if (configured != null) {
            locator.configured(configured);
        }
        String envFolder = env.get("BAKEHOUSE_CLIP_TOKENIZER");
        if (envFolder != null && !envFolder.isBlank()) {
            locator.configured(Path.of(envFolder));
        }
        if (dataRoot != null) {
            locator.dataDir(dataRoot);
        }
        if (modelFolder != null) {
            locator.modelFolder(modelFolder);
        }
        String comfy = env.get("COMFYUI_PATH");
        if (comfy != null && !comfy.isBlank()) {
            locator.comfyUiInstall(Path.of(comfy));
        }
        locator.huggingFaceCache(huggingFaceHubCache(env, home));
        locator.bundled();
        return locator;
    }

    /** The HF hub cache folder as huggingface_hub resolves it. */
    static Path huggingFaceHubCache(Map<String, String> env, Path home) {
        String hubCache = env.get("HF_HUB_CACHE");
        if (hubCache != null && !hubCache.isBlank()) {
            return Path.of(hubCache);
        }
        String hfHome = env.get("HF_HOME");
        if (hfHome != null && !hfHome.isBlank()) {
            return Path.of(hfHome, "hub");
        }
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "huggingface", "hub");
        }
        return home.resolve(".cache").resolve("huggingface").resolve("hub");
    }

    /** A folder that holds vocab.json and merges.txt directly. */
    public TokenizerLocator configured(Path folder) {
        places.add(new Place("configured folder", folder));
        return this;
    }

    /** A data root's {@code models/tokenizers/clip-vit-large-patch14/}. */
    public TokenizerLocator dataDir(Path dataRoot) {
        places.add(new Place("data dir", dataRoot.resolve(DATA_DIR_TOKENIZER)));
        return this;
    }

    /** A checkpoint's folder: the files beside it, or in its {@code tokenizer/} subfolder. */
    public TokenizerLocator modelFolder(Path folder) {
        places.add(new Place("model folder", folder));
        places.add(new Place("model folder (diffusers layout)", folder.resolve("tokenizer")));
        return this;
    }

    /** A ComfyUI checkout: {@code <root>/comfy/sd1_tokenizer/}. */
    public TokenizerLocator comfyUiInstall(Path root) {
        places.add(new Place("ComfyUI install", root.resolve(COMFY_TOKENIZER)));
        return this;
    }

    /** A Hugging Face hub cache (used by A1111 and diffusers). */
    public TokenizerLocator huggingFaceCache(Path hubCache) {
        places.add(new Place("Hugging Face cache", hubCache.resolve(HF_REPO_FOLDER)));
        return this;
    }

    /** The tokenizer that ships inside the jar ({@link BundledTokenizer}); it is always there. */
    public TokenizerLocator bundled() {
        places.add(new Place(BUNDLED, null));
        return this;
    }

    /** The first place holding both files, or empty; see {@link #locate} for the error text. */
    public Optional<TokenizerFiles> find() {
        for (Place place : places) {
            if (place.folder == null) {
                return Optional.of(BundledTokenizer.files());
            }
            for (Path folder : candidates(place)) {
                if (why(folder) == null) {
                    return Optional.of(TokenizerFiles.in(folder));
                }
            }
        }
        return Optional.empty();
    }

    /** The first place holding both files; otherwise an error listing every place looked at. */
    public TokenizerFiles locate() {
        return find().orElseThrow(() -> new TokenizerNotFoundException(report()));
    }

    private String report() {
        StringBuilder text = new StringBuilder("CLIP tokenizer files (" + TokenizerFiles.VOCAB + " + "
                + TokenizerFiles.MERGES + ") not found. Looked in:");
        if (places.isEmpty()) {
            text.append("\n  (no places configured)");
        }
        for (Place place : places) {
            if (place.folder == null) {
                continue; // never reached: the bundled copy is always found
            }
            List<Path> folders = candidates(place);
            if (folders.isEmpty()) {
                text.append("\n  ").append(place.kind).append(": ").append(place.folder).append(" (no snapshots)");
            }
            for (Path folder : folders) {
                text.append("\n  ").append(place.kind).append(": ").append(folder).append(" (").append(why(folder)).append(')');
            }
        }
        text.append("\nCopy vocab.json and merges.txt of openai/clip-vit-large-patch14 (ComfyUI ships them in "
                + COMFY_TOKENIZER + ") into one of these folders, or set BAKEHOUSE_CLIP_TOKENIZER to their folder.");
        return text.toString();
    }

    /** The HF cache holds snapshots; refs/main names the current one, which is tried first. */
    private static List<Path> candidates(Place place) {
        if (!place.kind.equals("Hugging Face cache")) {
            return List.of(place.folder);
        }
        Path snapshots = place.folder.resolve("snapshots");
        List<Path> out = new ArrayList<>();
        Path ref = place.folder.resolve("refs").resolve("main");
        if (Files.isRegularFile(ref)) {
            try {
                out.add(snapshots.resolve(Files.readString(ref, StandardCharsets.UTF_8).strip()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + ref + ": " + e.getMessage(), e);
            }
        }
        if (Files.isDirectory(snapshots)) {
            try (Stream<Path> revs = Files.list(snapshots)) {
                revs.filter(Files::isDirectory).sorted().filter(p -> !out.contains(p)).forEach(out::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + snapshots + ": " + e.getMessage(), e);
            }
        }
        if (out.isEmpty()) {
            return List.of();
        }
        return out;
    }

    /** Why {@code folder} does not count, or null when it does. */
    private static String why(Path folder) {
        if (!Files.isDirectory(folder)) {
            return "no such folder";
        }
        TokenizerFiles files = TokenizerFiles.in(folder);
        boolean vocab = Files.isRegularFile(files.vocab());
        boolean merges = Files.isRegularFile(files.merges());
        if (vocab && merges) {
            return null;
        }
        if (!vocab && !merges) {
            return "neither file there";
        }
        return (vocab ? TokenizerFiles.MERGES : TokenizerFiles.VOCAB) + " missing";
    }
}
