package dev.bakehouse.lora.format;

import dev.bakehouse.lora.format.LoraNetwork.KeyStyle;
import dev.bakehouse.tensor.TensorFileException;
import dev.bakehouse.tensor.TensorFiles;
import dev.bakehouse.tensor.TensorInfo;
import dev.bakehouse.tensor.TensorSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a LoRA file (kohya, LyCORIS LoCon/LoHa/LoKr/DoRA, diffusers/PEFT; safetensors or a
 * pickle checkpoint) into a {@link LoraNetwork}. Every tensor is either placed in a module or
 * listed in {@link LoraNetwork#unknownKeys}; malformed modules are refused naming the module.
 */
public final class LoraReader {
    private LoraReader() {}

    public static LoraNetwork read(Path file) throws TensorFileException {
        try (TensorSource source = TensorFiles.open(file)) {
            return read(source);
        } catch (TensorFileException e) {
            throw e;
        } catch (IOException e) {
            throw new TensorFileException(file, null, "cannot close: " + e.getMessage(), e);
        }
    }

    public static LoraNetwork read(TensorSource source) throws TensorFileException {
        boolean sdxl = LoraKeys.looksSdxl(source.names());
        Map<String, Map<String, LoraTensor>> byModule = new TreeMap<>();
        List<String> unknown = new ArrayList<>();
        Set<KeyStyle> styles = EnumSet.noneOf(KeyStyle.class);
        for (String key : source.names()) {
            Optional<LoraKeys.Split> split = LoraKeys.split(key, sdxl);
            if (split.isEmpty() || !isKnownSuffix(split.get().suffix())) {
                unknown.add(key);
                continue;
            }
            LoraKeys.Split s = split.get();
            styles.add(s.style());
            TensorInfo info = source.info(key);
            LoraTensor t = new LoraTensor(info.dtype(), info.shape(), source.readFloats(key));
            if (byModule.computeIfAbsent(s.module(), m -> new LinkedHashMap<>()).put(s.suffix(), t) != null) {
                throw new TensorFileException(source.path(), key, "module '" + s.module() + "' has two tensors for '"
                        + s.suffix() + "' (the file mixes key styles)");
            }
        }
        Map<String, LoraModule> modules = new TreeMap<>();
        for (Map.Entry<String, Map<String, LoraTensor>> e : byModule.entrySet()) {
            LoraModule m = module(source.path(), e.getKey(), e.getValue());
            if (m == null) { // only alpha / dora_scale: nothing to apply, so report them
                e.getValue().keySet().forEach(suffix -> unknown.add(e.getKey() + "." + suffix));
            } else {
                modules.put(m.name(), m);
            }
        }
        return new LoraNetwork(modules, source.metadata(), unknown, styles);
    }

    private static boolean isKnownSuffix(String suffix) {
        return LoraKind.SHARED_SUFFIXES.contains(suffix) || LoraKind.ofSuffix(suffix) != null;
    }

    /** Builds and checks one module; null if it holds only shared suffixes. */
    private static LoraModule module(Path file, String name, Map<String, LoraTensor> tensors) throws TensorFileException {
        LoraKind kind = null;
        for (String suffix : tensors.keySet()) {
            LoraKind k = LoraKind.ofSuffix(suffix);
            if (k != null && kind != null && k != kind) {
                throw new TensorFileException(file, name, "mixes " + kind + " and " + k + " tensors");
            }
            kind = k == null ? kind : k;
        }
        if (kind == null) {
            return null;
        }
        LoraModule m = new LoraModule(name, kind, tensors);
        check(file, m);
        return m;
    }

    /** The shape rules a module must satisfy before anyone computes with it. */
    private static void check(Path file, LoraModule m) throws TensorFileException {
        Optional<LoraTensor> alpha = m.tensor("alpha");
        if (alpha.isPresent() && alpha.get().values().length != 1) {
            throw new TensorFileException(file, m.name() + ".alpha", "must hold one value, has shape " + alpha.get());
        }
        switch (m.kind()) {
            case LORA -> {
                LoraTensor up = need(file, m, "lora_up.weight");
                LoraTensor down = need(file, m, "lora_down.weight");
                boolean tucker = m.tensor("lora_mid.weight").isPresent();
                if (up.rank() != down.rank() || (up.rank() != 2 && up.rank() != 4) || (!tucker && up.cols() != down.rows())) {
                    throw new TensorFileException(file, m.name(), "lora_up " + up + " and lora_down " + down
                            + " do not compose (expected up [out, r(, 1, 1)] and down [r, in(, kh, kw)])");
                }
            }
            case LOHA -> {
                for (String s : List.of("hada_w1_a", "hada_w1_b", "hada_w2_a", "hada_w2_b")) {
                    need(file, m, s);
                }
            }
            case LOKR -> {
                if (m.tensor("lokr_w1").isEmpty() && (m.tensor("lokr_w1_a").isEmpty() || m.tensor("lokr_w1_b").isEmpty())) {
                    throw new TensorFileException(file, m.name(), "LoKr module needs lokr_w1 or lokr_w1_a + lokr_w1_b");
                }
                if (m.tensor("lokr_w2").isEmpty() && (m.tensor("lokr_w2_a").isEmpty() || m.tensor("lokr_w2_b").isEmpty())) {
                    throw new TensorFileException(file, m.name(), "LoKr module needs lokr_w2 or lokr_w2_a + lokr_w2_b");
                }
            }
            default -> { }
        }
    }

    private static LoraTensor need(Path file, LoraModule m, String suffix) throws TensorFileException {
        return m.tensor(suffix).orElseThrow(() ->
                new TensorFileException(file, m.name(), m.kind() + " module lacks '" + suffix + "'"));
    }
}
