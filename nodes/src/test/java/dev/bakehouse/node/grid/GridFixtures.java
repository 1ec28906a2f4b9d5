package dev.bakehouse.node.grid;

import dev.bakehouse.lora.format.LoraModule;
import dev.bakehouse.lora.format.LoraNetwork;
import dev.bakehouse.lora.format.LoraReader;
import dev.bakehouse.lora.format.LoraTensor;
import dev.bakehouse.lora.format.LoraWriter;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.lora.LoraValue;
import dev.bakehouse.testing.Fixtures;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/** LoRA files made from the tiny fixture LoRA for grid tests, and list-node inputs. */
final class GridFixtures {
    private GridFixtures() {}

    /**
     * The fixture LoRA with every {@code lora_up} multiplied by {@code upScale} in the modules
     * {@code scaled} accepts (others unchanged), written to {@code models/loras/<name>} and read back.
     */
    static LoraValue scaledLora(DataDirs dirs, String name, float upScale, Predicate<String> scaled) throws Exception {
        LoraNetwork fixture = LoraReader.read(Fixtures.file("sd15-tiny/lora.safetensors"));
        Map<String, LoraModule> modules = new LinkedHashMap<>();
        for (LoraModule m : fixture.modules().values()) {
            Map<String, LoraTensor> tensors = new LinkedHashMap<>(m.tensors());
            if (scaled.test(m.name())) {
                LoraTensor up = tensors.get("lora_up.weight");
                float[] values = up.values().clone();
                for (int i = 0; i < values.length; i++) {
                    values[i] *= upScale;
                }
                tensors.put("lora_up.weight", new LoraTensor(up.dtype(), up.shape(), values));
            }
            modules.put(m.name(), new LoraModule(m.name(), m.kind(), tensors));
        }
        Path file = dirs.models(DataDirs.LORAS).resolve(name);
        LoraWriter.write(new LoraNetwork(modules, fixture.metadata(), fixture.unknownKeys(), fixture.styles()), file,
                null, false);
        return new LoraValue(name, file, LoraReader.read(file));
    }

    /** Inputs of a list node: each value wrapped in a one-element list (lists kept as they are). */
    static Map<String, Object> asLists(Map<String, Object> values) {
        Map<String, Object> lists = new HashMap<>();
        values.forEach((k, v) -> lists.put(k, v instanceof java.util.List<?> ? v : java.util.List.of(v)));
        return lists;
    }
}
