package dev.bakehouse.lora.format;

import dev.bakehouse.tensor.DType;
import dev.bakehouse.tensor.ElementCodec;
import dev.bakehouse.tensor.SafetensorsWriter;
import dev.bakehouse.tensor.TensorFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a {@link LoraNetwork} as a kohya-style safetensors LoRA: {@code <module>.<suffix>}
 * keys, the network's metadata, and (as sd-scripts does when it saves) {@code sshs_model_hash}
 * and {@code sshs_legacy_hash} computed by {@link KohyaHashes}.
 */
public final class LoraWriter {
    private LoraWriter() {}

    /**
     * @param saveDtype dtype of every tensor (kohya's {@code --save_precision}), or null to keep
     *                  each tensor's own dtype
     * @param addHashes whether to add the {@code sshs_*} hashes
     */
    public static void write(LoraNetwork network, Path file, DType saveDtype, boolean addHashes) throws TensorFileException {
        if (saveDtype != null && !saveDtype.isFloatingPoint()) {
            throw new IllegalArgumentException("LoRA save dtype must be floating point, got " + saveDtype);
        }
        SafetensorsWriter w = new SafetensorsWriter();
        for (LoraModule m : network.modules().values()) {
            for (Map.Entry<String, LoraTensor> t : m.tensors().entrySet()) {
                LoraTensor v = t.getValue();
                DType dtype = saveDtype != null ? saveDtype : v.dtype().isFloatingPoint() ? v.dtype() : DType.F32;
                w.addFloats(m.name() + "." + t.getKey(), dtype, v.shape(), v.values());
            }
        }
        Map<String, String> metadata = new LinkedHashMap<>(network.metadata());
        if (addHashes) {
            KohyaHashes.Hashes h = KohyaHashes.compute(w, metadata);
            metadata.put("sshs_model_hash", h.modelHash());
            metadata.put("sshs_legacy_hash", h.legacyHash());
        }
        w.metadata(metadata).write(file);
    }

    /**
     * The network as {@link #write} stores it and {@link LoraReader} reads it back: every value
     * rounded through {@code saveDtype}'s encoding by the same codec, each tensor labelled with
     * that dtype. Lets a training run use the weights a saved file will hold (fp16 rounding
     * included) without writing one.
     */
    public static LoraNetwork asWritten(LoraNetwork network, DType saveDtype) {
        if (!saveDtype.isFloatingPoint()) {
            throw new IllegalArgumentException("LoRA save dtype must be floating point, got " + saveDtype);
        }
        Map<String, LoraModule> modules = new LinkedHashMap<>();
        for (LoraModule m : network.modules().values()) {
            Map<String, LoraTensor> tensors = new LinkedHashMap<>();
            m.tensors().forEach((suffix, t) -> {
                float[] values = new float[t.values().length];
                ElementCodec.decodeFloats(saveDtype, ElementCodec.encodeFloats(saveDtype, t.values()), values, 0);
                tensors.put(suffix, new LoraTensor(saveDtype, t.shape(), values));
            });
            modules.put(m.name(), new LoraModule(m.name(), m.kind(), tensors));
        }
        return new LoraNetwork(modules, network.metadata(), network.unknownKeys(), network.styles());
    }
}
