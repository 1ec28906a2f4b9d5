package dev.bakehouse.node.lora;

import dev.bakehouse.lora.format.LoraNetwork;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The LORA value: a LoRA file on disk in kohya's format and its parsed network. What
 * {@code LoadLoRA} reads and {@code TrainLoRA} writes (one per saved epoch), so a trained epoch
 * can be tested in the same graph and later loaded unchanged by ComfyUI or A1111.
 *
 * @param name    the name shown to users: the file name relative to its LoRA folder, or the
 *                output name of a training run
 * @param file    the safetensors file
 * @param network its modules and {@code ss_*} metadata
 */
public record LoraValue(String name, Path file, LoraNetwork network) {
    public LoraValue {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(network, "network");
    }

    @Override
    public String toString() {
        return name;
    }
}
