package dev.bakehouse.node.lora;

import dev.bakehouse.lora.ops.LoraBlockWeights;
import dev.bakehouse.node.DataType;
import dev.bakehouse.node.InputSpec;
import dev.bakehouse.node.InputSpec.FloatInput;
import dev.bakehouse.node.InputSpec.SocketInput;
import dev.bakehouse.node.InputSpec.StringInput;
import dev.bakehouse.node.NodeInputs;
import java.util.ArrayList;
import java.util.List;

/**
 * The LoRA inputs of the merge nodes: {@value #COUNT} slots of {@code lora_N} (a LORA link),
 * {@code ratio_N} (kohya {@code --ratios}) and {@code block_weights_N} (a LoRA Block Weight preset
 * such as {@code INALL} or 17/26 comma-separated values; empty for none). Slot 1 is required, the
 * others are used when their LORA is linked.
 */
final class LoraSlots {
    static final int COUNT = 4;

    private LoraSlots() {}

    /** @param blockWeights null when the slot's block weights are empty */
    record Slot(LoraValue lora, float ratio, LoraBlockWeights blockWeights) {}

    static InputSpec[] first() {
        return slot(1);
    }

    static InputSpec[] others() {
        List<InputSpec> all = new ArrayList<>();
        for (int i = 2; i <= COUNT; i++) {
            all.addAll(List.of(slot(i)));
        }
        return all.toArray(InputSpec[]::new);
    }

    private static InputSpec[] slot(int i) {
        return new InputSpec[] {
            SocketInput.of("lora_" + i, DataType.LORA),
            FloatInput.of("ratio_" + i, 1.0, -100.0, 100.0).withStep(0.01)
                    .withTooltip("Strength of LoRA " + i + " (kohya --ratios)."),
            StringInput.of("block_weights_" + i, "").withTooltip("LoRA Block Weight of LoRA " + i
                    + ": a preset (ALL, INALL, MIDD, OUTALL, ...) or 17/26 comma-separated ratios; empty for none."),
        };
    }

    /** The linked slots, in order; block weights parsed, errors naming the slot. */
    static List<Slot> read(String node, NodeInputs inputs) {
        List<Slot> slots = new ArrayList<>();
        for (int i = 1; i <= COUNT; i++) {
            var lora = inputs.optional("lora_" + i, LoraValue.class);
            if (lora.isEmpty()) {
                continue;
            }
            String lbw = inputs.optional("block_weights_" + i, String.class).orElse("").strip();
            LoraBlockWeights weights;
            try {
                weights = lbw.isEmpty() ? null : dev.bakehouse.lora.lbw.LbwPresets.builtIn().blockWeights(lbw, "block_weights_" + i);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(node + ": input 'block_weights_" + i + "': " + e.getMessage(), e);
            }
            float ratio = inputs.has("ratio_" + i) ? inputs.getFloat("ratio_" + i) : 1f;
            slots.add(new Slot(lora.get(), ratio, weights));
        }
        return slots;
    }
}
