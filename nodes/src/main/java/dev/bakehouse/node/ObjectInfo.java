package dev.bakehouse.node;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Generates {@code /object_info} (spec §4.2, classic form) from node specs. Combo options are
 * read when called, so the answer reflects the files present now.
 */
public final class ObjectInfo {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final NodeRegistry registry;

    public ObjectInfo(NodeRegistry registry) {
        this.registry = registry;
    }

    /** {@code GET /object_info}: every node type by name, in registration order. */
    public ObjectNode all() {
        ObjectNode all = JSON.objectNode();
        for (String classType : registry.classTypes()) {
            all.set(classType, definition(registry.spec(classType)));
        }
        return all;
    }

    /** {@code GET /object_info/{class}}: {@code {class: definition}}, or {@code {}} if unknown. */
    public ObjectNode one(String classType) {
        ObjectNode result = JSON.objectNode();
        registry.find(classType).ifPresent(spec -> result.set(classType, definition(spec)));
        return result;
    }

    /** The definition object of one node type, keys in the reference's order. */
    public static ObjectNode definition(NodeSpec spec) {
        ObjectNode def = JSON.objectNode();
        ObjectNode input = def.putObject("input");
        ObjectNode order = JSON.objectNode();
        writeInputs(input, order, "required", spec.required());
        writeInputs(input, order, "optional", spec.optional());
        if (!spec.hidden().isEmpty()) {
            ObjectNode hidden = input.putObject("hidden");
            ArrayNode hiddenOrder = order.putArray("hidden");
            for (HiddenInput h : spec.hidden()) {
                hidden.put(h.inputName(), h.name());
                hiddenOrder.add(h.inputName());
            }
        }
        def.set("input_order", order);
        ArrayNode output = def.putArray("output");
        ArrayNode isList = def.putArray("output_is_list");
        ArrayNode names = def.putArray("output_name");
        for (OutputSpec out : spec.outputs()) {
            output.add(out.type().name());
            isList.add(out.isList());
            names.add(out.name());
        }
        def.put("name", spec.name());
        def.put("display_name", spec.displayName());
        def.put("description", spec.description());
        def.put("python_module", spec.pythonModule());
        def.put("category", spec.category());
        def.put("output_node", spec.outputNode());
        if (spec.outputs().stream().anyMatch(o -> o.tooltip() != null)) {
            ArrayNode tooltips = def.putArray("output_tooltips");
            spec.outputs().forEach(o -> tooltips.add(o.tooltip()));
        }
        return def;
    }

    private static void writeInputs(ObjectNode input, ObjectNode order, String category,
                                    List<InputSpec> inputs) {
        if (inputs.isEmpty()) {
            return;
        }
        ObjectNode group = input.putObject(category);
        ArrayNode names = order.putArray(category);
        for (InputSpec spec : inputs) {
            group.set(spec.name(), inputConfig(spec, false));
            names.add(spec.name());
        }
    }

    /**
     * An input's {@code [TYPE, OPTIONS]} array as in {@code /object_info}. With
     * {@code alwaysOptions} the options object is written even when empty, as validation errors
     * show it ({@code input_config}).
     */
    public static ArrayNode inputConfig(InputSpec spec, boolean alwaysOptions) {
        ArrayNode config = JSON.arrayNode();
        ObjectNode options = JSON.objectNode();
        // Java 17 has no pattern switch; the sealed interface keeps this list complete.
        if (spec instanceof InputSpec.IntInput i) {
            config.add("INT");
            options.set("default", JsonIntegers.of(i.defaultValue()));
            options.set("min", JsonIntegers.of(i.min()));
            options.set("max", JsonIntegers.of(i.max()));
            options.set("step", JsonIntegers.of(i.step()));
            if (i.controlAfterGenerate() != null) {
                options.put("control_after_generate", i.controlAfterGenerate());
            }
        } else if (spec instanceof InputSpec.FloatInput f) {
            config.add("FLOAT");
            options.put("default", f.defaultValue());
            options.put("min", f.min());
            options.put("max", f.max());
            options.put("step", f.step());
            if (f.round() != null) {
                options.put("round", f.round());
            }
        } else if (spec instanceof InputSpec.StringInput s) {
            config.add("STRING");
            options.put("default", s.defaultValue());
            if (s.multiline()) {
                options.put("multiline", true);
            }
            if (s.dynamicPrompts()) {
                options.put("dynamicPrompts", true);
            }
        } else if (spec instanceof InputSpec.BooleanInput b) {
            config.add("BOOLEAN");
            options.put("default", b.defaultValue());
            if (b.labelOn() != null) {
                options.put("label_on", b.labelOn());
            }
            if (b.labelOff() != null) {
                options.put("label_off", b.labelOff());
            }
        } else if (spec instanceof InputSpec.ComboInput c) {
            ArrayNode values = config.addArray();
            c.currentOptions().forEach(values::add);
            if (c.defaultValue() != null) {
                options.put("default", c.defaultValue());
            }
            if (c.imageUpload()) {
                options.put("image_upload", true);
            }
        } else {
            config.add(spec.type().name());
        }
        if (spec.tooltip() != null) {
            options.put("tooltip", spec.tooltip());
        }
        if (alwaysOptions || !options.isEmpty()) {
            config.add(options);
        }
        return config;
    }
}
