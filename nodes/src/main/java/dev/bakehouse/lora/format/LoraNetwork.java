package dev.bakehouse.lora.format;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A LoRA file in memory, whatever style it was saved in: modules under kohya names, the file's
 * metadata, and every key that could not be placed in a module ({@link #unknownKeys}), so that
 * callers can report them.
 */
public record LoraNetwork(Map<String, LoraModule> modules, Map<String, String> metadata, List<String> unknownKeys,
                          Set<KeyStyle> styles) {

    /** How the file named its keys. */
    public enum KeyStyle {
        /** {@code lora_unet_…}/{@code lora_te_…} + {@code .lora_down.weight}, {@code .hada_w1_a}… (kohya, LyCORIS via kohya). */
        KOHYA,
        /** LyCORIS standalone wrapper: {@code lycoris_<diffusers path>}. */
        LYCORIS_STANDALONE,
        /** diffusers / PEFT: {@code unet.<path>.lora_A.weight}, {@code text_encoder.<path>.lora.down.weight}… */
        DIFFUSERS
    }

    public LoraNetwork {
        modules = Collections.unmodifiableMap(new TreeMap<>(modules));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        unknownKeys = List.copyOf(unknownKeys);
        styles = styles.isEmpty() ? Collections.unmodifiableSet(EnumSet.noneOf(KeyStyle.class))
                : Collections.unmodifiableSet(EnumSet.copyOf(styles));
    }

    public LoraModule module(String name) {
        LoraModule m = modules.get(name);
        if (m == null) {
            throw new IllegalArgumentException("no LoRA module '" + name + "' (" + modules.size() + " modules)");
        }
        return m;
    }

    /** Module counts by kind. */
    public Map<LoraKind, Integer> kindCounts() {
        Map<LoraKind, Integer> out = new TreeMap<>();
        modules.values().forEach(m -> out.merge(m.kind(), 1, Integer::sum));
        return out;
    }

    /** Whether any module carries DoRA's {@code dora_scale}. */
    public boolean isDora() {
        return modules.values().stream().anyMatch(m -> m.doraScale().isPresent());
    }
}
