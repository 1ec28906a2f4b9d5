package dev.bakehouse.node;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the server needs to know about a node type without running it: its inputs,
 * outputs and flags. {@code /object_info} is generated from this record alone
 * ({@link ObjectInfo}), and the validator and executor read nothing else.
 *
 * @param name                  the {@code class_type} of prompts
 * @param displayName           title shown by editors
 * @param category              slash-separated menu path
 * @param description           help text ({@code ""} if none)
 * @param pythonModule          origin shown as {@code python_module}
 * @param outputNode            an execution root (spec §6.2)
 * @param required              required inputs in socket/widget order
 * @param optional              optional inputs in order
 * @param hidden                server-filled inputs
 * @param outputs               output slots in order
 * @param inputIsList           {@code INPUT_IS_LIST}: called once with every input as a list
 * @param notIdempotent         {@code NOT_IDEMPOTENT}: the node id joins the cache key
 * @param customValidated       inputs the node's {@link Node#validateInputs} checks itself; the
 *                              validator skips min/max/option checks for them (spec §6.8)
 * @param validatesInputTypes   custom validation takes the upstream types of linked inputs, so
 *                              the validator skips its own link type check
 */
public record NodeSpec(
        String name,
        String displayName,
        String category,
        String description,
        String pythonModule,
        boolean outputNode,
        List<InputSpec> required,
        List<InputSpec> optional,
        List<HiddenInput> hidden,
        List<OutputSpec> outputs,
        boolean inputIsList,
        boolean notIdempotent,
        Set<String> customValidated,
        boolean validatesInputTypes) {

    public NodeSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(pythonModule, "pythonModule");
        required = List.copyOf(required);
        optional = List.copyOf(optional);
        hidden = List.copyOf(hidden);
        outputs = List.copyOf(outputs);
        customValidated = Set.copyOf(customValidated);
        Set<String> seen = new HashSet<>();
        for (InputSpec input : concat(required, optional)) {
            if (!seen.add(input.name())) {
                throw new IllegalArgumentException(
                        "node " + name + " declares input '" + input.name() + "' twice");
            }
        }
        for (String validated : customValidated) {
            if (!seen.contains(validated)) {
                throw new IllegalArgumentException("node " + name + " custom-validates input '"
                        + validated + "' which it does not declare");
            }
        }
    }

    /** Starts a spec for the node type {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Required then optional inputs, in declaration order. */
    public List<InputSpec> inputs() {
        return concat(required, optional);
    }

    /** The declared (required or optional) input called {@code inputName}, or {@code null}. */
    public InputSpec input(String inputName) {
        for (InputSpec input : inputs()) {
            if (input.name().equals(inputName)) {
                return input;
            }
        }
        return null;
    }

    /** Whether {@code inputName} is a required input. */
    public boolean isRequired(String inputName) {
        return required.stream().anyMatch(i -> i.name().equals(inputName));
    }

    private static List<InputSpec> concat(List<InputSpec> a, List<InputSpec> b) {
        List<InputSpec> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    /** Collects a spec; {@link #build()} checks it (duplicate inputs, unknown validated names). */
    public static final class Builder {
        private final String name;
        private String displayName;
        private String category = "sd";
        private String description = "";
        private String pythonModule = "bakehouse";
        private boolean outputNode;
        private final List<InputSpec> required = new ArrayList<>();
        private final List<InputSpec> optional = new ArrayList<>();
        private final Set<HiddenInput> hidden = new LinkedHashSet<>();
        private final List<OutputSpec> outputs = new ArrayList<>();
        private boolean inputIsList;
        private boolean notIdempotent;
        private final Set<String> customValidated = new LinkedHashSet<>();
        private boolean validatesInputTypes;

        private Builder(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a node type needs a non-blank name");
            }
            this.name = name;
        }

        public Builder displayName(String value) {
            this.displayName = value;
            return this;
        }

        public Builder category(String value) {
            this.category = value;
            return this;
        }

        public Builder description(String value) {
            this.description = value;
            return this;
        }

        public Builder pythonModule(String value) {
            this.pythonModule = value;
            return this;
        }

        /** Marks the node as an execution root. */
        public Builder outputNode() {
            this.outputNode = true;
            return this;
        }

        public Builder required(InputSpec... inputs) {
            required.addAll(List.of(inputs));
            return this;
        }

        public Builder optional(InputSpec... inputs) {
            optional.addAll(List.of(inputs));
            return this;
        }

        public Builder hidden(HiddenInput... inputs) {
            hidden.addAll(List.of(inputs));
            return this;
        }

        public Builder output(OutputSpec output) {
            outputs.add(output);
            return this;
        }

        /** Adds an output named after its type. */
        public Builder output(DataType type) {
            return output(OutputSpec.of(type));
        }

        public Builder inputIsList() {
            this.inputIsList = true;
            return this;
        }

        public Builder notIdempotent() {
            this.notIdempotent = true;
            return this;
        }

        /** Names inputs that {@link Node#validateInputs} checks instead of the validator. */
        public Builder customValidation(String... inputNames) {
            customValidated.addAll(List.of(inputNames));
            return this;
        }

        /** Custom validation also receives upstream types; the link type check is skipped. */
        public Builder validatesInputTypes() {
            this.validatesInputTypes = true;
            return this;
        }

        public NodeSpec build() {
            return new NodeSpec(name, displayName == null ? name : displayName, category,
                    description, pythonModule, outputNode, required, optional,
                    List.copyOf(hidden), outputs, inputIsList, notIdempotent, customValidated,
                    validatesInputTypes);
        }
    }
}
