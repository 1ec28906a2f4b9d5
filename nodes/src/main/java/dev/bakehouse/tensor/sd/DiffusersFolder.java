package dev.bakehouse.tensor.sd;

import dev.bakehouse.tensor.DerivedTensorSource;
import dev.bakehouse.tensor.DerivedTensorSource.Copy;
import dev.bakehouse.tensor.DerivedTensorSource.Derivation;
import dev.bakehouse.tensor.SafetensorsWriter;
import dev.bakehouse.tensor.TensorFileException;
import dev.bakehouse.tensor.TensorFiles;
import dev.bakehouse.tensor.TensorSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A diffusers model folder ({@code unet/}, {@code vae/}, {@code text_encoder/},
 * {@code text_encoder_2/}) read as one source in single-file LDM key names, and LDM-named
 * tensors written back as such a folder. The LDM names are our internal naming, so a model
 * loaded from a folder can be merged and saved back in the layout it came in.
 */
public final class DiffusersFolder {
    private DiffusersFolder() {}

    /** The folder as LDM-named tensors, and the component keys that have no LDM name (reported, not dropped silently). */
    public record Opened(TensorSource tensors, List<String> unmappedKeys) {}

    private static final List<String> MODEL_FILES = List.of("diffusion_pytorch_model.safetensors",
            "diffusion_pytorch_model.fp16.safetensors", "diffusion_pytorch_model.bin", "diffusion_pytorch_model.fp16.bin");
    private static final List<String> TEXT_FILES = List.of("model.safetensors", "model.fp16.safetensors",
            "pytorch_model.bin", "pytorch_model.fp16.bin");

    public static Opened open(Path dir) throws TensorFileException {
        List<TensorSource> opened = new ArrayList<>();
        try {
            Map<String, Derivation> out = new TreeMap<>();
            List<String> unmapped = new ArrayList<>();
            TensorSource unet = component(dir, "unet", MODEL_FILES, opened);
            if (unet == null) {
                throw new TensorFileException(dir, null, "no unet/diffusion_pytorch_model.(fp16.)safetensors|bin; not a diffusers model folder");
            }
            unetToLdm(unet, out, unmapped);
            TensorSource vae = component(dir, "vae", MODEL_FILES, opened);
            if (vae != null) {
                vaeToLdm(vae, out, unmapped);
            }
            TensorSource te = component(dir, "text_encoder", TEXT_FILES, opened);
            TensorSource te2 = component(dir, "text_encoder_2", TEXT_FILES, opened);
            if (te2 != null) {
                hfText(te, CheckpointComponent.TEXT_ENCODER_SDXL_1.prefix(), out);
                unmapped.addAll(prefixed("text_encoder_2/", OpenClipKeyMap.fromHf(te2, CheckpointComponent.TEXT_ENCODER_SDXL_2.prefix(), out)));
            } else if (te != null && isOpenClipWidth(te)) {
                unmapped.addAll(prefixed("text_encoder/", OpenClipKeyMap.fromHf(te, CheckpointComponent.TEXT_ENCODER_OPENCLIP.prefix(), out)));
            } else {
                hfText(te, CheckpointComponent.TEXT_ENCODER.prefix(), out);
            }
            return new Opened(new DerivedTensorSource(dir, out, Map.of("layout", "diffusers"), opened), unmapped);
        } catch (TensorFileException | RuntimeException e) {
            closeAll(opened, e);
            throw e;
        }
    }

    /**
     * Writes LDM-named tensors as a diffusers folder at {@code target} (which must not exist),
     * copying every non-weight file (configs, tokenizer, scheduler) from {@code template}, the
     * folder the model came from. The folder is assembled beside the target and moved into place.
     *
     * @return the LDM keys that have no diffusers name (EMA copies, schedule buffers, OpenCLIP's logit_scale)
     */
    public static List<String> write(TensorSource ldm, Path template, Path target) throws TensorFileException {
        if (Files.exists(target)) {
            throw new TensorFileException(target, null, "target folder already exists");
        }
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + System.nanoTime());
        try {
            copyConfigs(template, tmp);
            List<String> unplaced = new ArrayList<>();
            Set<String> placed = new TreeSet<>();
            Map<String, Map<String, Derivation>> components = new TreeMap<>();
            DetectedArchitecture arch = ArchitectureDetector.detect(ShapeIndex.of(ldm), Map.of());
            UNetKeyMap unetMap = UNetKeyMap.of(arch.unet());
            VaeKeyMap vaeMap = VaeKeyMap.of(ShapeIndex.of(ldm).indices(CheckpointComponent.VAE.prefix() + "encoder.down.").size(),
                    ShapeIndex.of(ldm).indices(CheckpointComponent.VAE.prefix() + "encoder.down.0.block.").size());
            for (String key : ldm.names()) {
                CheckpointComponent c = CheckpointComponent.of(key);
                String rest = key.substring(c.prefix().length());
                switch (c) {
                    case UNET -> unetMap.toDiffusers(rest).ifPresentOrElse(
                            d -> place(components, "unet", d, new Copy(ldm, key, null), placed, key), () -> unplaced.add(key));
                    case VAE -> {
                        VaeKeyMap.Renamed r = vaeMap.toDiffusers(rest);
                        long[] s = ldm.info(key).shape();
                        long[] shape = r.convLinear() && s.length == 4 ? new long[] {s[0], s[1]} : null;
                        place(components, "vae", r.key(), new Copy(ldm, key, shape), placed, key);
                    }
                    case TEXT_ENCODER, TEXT_ENCODER_SDXL_1 -> place(components, "text_encoder", rest, new Copy(ldm, key, null), placed, key);
                    default -> { }
                }
            }
            for (CheckpointComponent c : List.of(CheckpointComponent.TEXT_ENCODER_OPENCLIP, CheckpointComponent.TEXT_ENCODER_SDXL_2)) {
                Map<String, Derivation> hf = new TreeMap<>();
                unplaced.addAll(OpenClipKeyMap.toHf(ldm, c.prefix(), hf));
                if (!hf.isEmpty()) {
                    String folder = c == CheckpointComponent.TEXT_ENCODER_SDXL_2 ? "text_encoder_2" : "text_encoder";
                    components.computeIfAbsent(folder, f -> new TreeMap<>()).putAll(hf);
                    ldm.names().stream().filter(k -> k.startsWith(c.prefix()) && !unplaced.contains(k)).forEach(placed::add);
                }
            }
            ldm.names().stream().filter(k -> !placed.contains(k) && !unplaced.contains(k)).forEach(unplaced::add);
            for (Map.Entry<String, Map<String, Derivation>> e : components.entrySet()) {
                String file = e.getKey().startsWith("text_encoder") ? "model.safetensors" : "diffusion_pytorch_model.safetensors";
                DerivedTensorSource view = new DerivedTensorSource(ldm.path(), e.getValue(), Map.of(), List.of());
                SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt");
                for (String name : view.names()) {
                    w.copyFrom(view, name, name);
                }
                w.write(tmp.resolve(e.getKey()).resolve(file));
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            return unplaced;
        } catch (TensorFileException e) {
            deleteQuietly(tmp);
            throw e;
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new TensorFileException(target, null, "cannot write diffusers folder: " + e.getMessage(), e);
        }
    }

    private static void place(Map<String, Map<String, Derivation>> components, String folder, String name, Derivation d,
                              Set<String> placed, String ldmKey) {
        components.computeIfAbsent(folder, f -> new TreeMap<>()).put(name, d);
        placed.add(ldmKey);
    }

    private static void unetToLdm(TensorSource unet, Map<String, Derivation> out, List<String> unmapped) throws TensorFileException {
        ShapeIndex keys = ShapeIndex.of(unet);
        int levels = keys.indices("down_blocks.").size();
        Set<Integer> attention = new TreeSet<>();
        for (int level = 0; level < levels; level++) {
            if (keys.anyWithPrefix("down_blocks." + level + ".attentions.")) {
                attention.add(level);
            }
        }
        UNetKeyMap map = UNetKeyMap.of(levels, keys.indices("down_blocks.0.resnets.").size(), attention);
        for (String key : unet.names()) {
            map.toLdm(key).ifPresentOrElse(
                    ldm -> out.put(CheckpointComponent.UNET.prefix() + ldm, new Copy(unet, key, null)),
                    () -> unmapped.add("unet/" + key));
        }
    }

    private static void vaeToLdm(TensorSource vae, Map<String, Derivation> out, List<String> unmapped) throws TensorFileException {
        VaeKeyMap map = VaeKeyMap.fromDiffusersKeys(ShapeIndex.of(vae)).orElse(null);
        if (map == null) {
            vae.names().forEach(k -> unmapped.add("vae/" + k));
            return;
        }
        for (String key : vae.names()) {
            VaeKeyMap.Renamed r = map.toLdm(key);
            long[] s = vae.info(key).shape();
            long[] shape = r.convLinear() && s.length == 2 ? new long[] {s[0], s[1], 1, 1} : null;
            out.put(CheckpointComponent.VAE.prefix() + r.key(), new Copy(vae, key, shape));
        }
    }

    private static void hfText(TensorSource te, String prefix, Map<String, Derivation> out) {
        if (te != null) {
            te.names().forEach(k -> out.put(prefix + k, new Copy(te, k, null)));
        }
    }

    /** SD2's OpenCLIP ViT-H is 1024 wide; CLIP ViT-L (SD1, SDXL's first) is 768 or a tiny test width. */
    private static boolean isOpenClipWidth(TensorSource te) throws TensorFileException {
        String k = "text_model.embeddings.token_embedding.weight";
        return te.contains(k) && te.info(k).dim(1) == 1024;
    }

    private static TensorSource component(Path dir, String folder, List<String> names, List<TensorSource> opened)
            throws TensorFileException {
        for (String n : names) {
            Path f = dir.resolve(folder).resolve(n);
            if (Files.isRegularFile(f)) {
                TensorSource s = TensorFiles.open(f);
                opened.add(s);
                return s;
            }
        }
        return null;
    }

    private static List<String> prefixed(String prefix, List<String> keys) {
        return keys.stream().map(k -> prefix + k).toList();
    }

    private static void copyConfigs(Path template, Path tmp) throws IOException {
        Files.createDirectories(tmp);
        if (template == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(template)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                if (Files.isRegularFile(p) && !name.endsWith(".safetensors") && !name.endsWith(".bin")) {
                    Path dst = tmp.resolve(template.relativize(p).toString());
                    Files.createDirectories(dst.getParent());
                    Files.copy(p, dst);
                }
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a stray temp folder beside the target is harmless and named as such
        }
    }

    private static void closeAll(List<TensorSource> sources, Exception primary) {
        for (TensorSource s : sources) {
            try {
                s.close();
            } catch (IOException e) {
                primary.addSuppressed(e);
            }
        }
    }
}
