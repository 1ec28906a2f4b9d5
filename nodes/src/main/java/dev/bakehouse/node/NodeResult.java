package dev.bakehouse.node;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * What one node run returns: one value per declared output slot (a {@link List} for slots
 * marked {@link OutputSpec#isList()}) and an optional UI output (spec §4.5) such as
 * {@code {"images": [{"filename": …, "subfolder": …, "type": …}]}}.
 *
 * @param outputs values by slot (may contain {@code null})
 * @param ui      the UI output, or {@code null} when the node shows nothing
 */
public record NodeResult(List<Object> outputs, ObjectNode ui) {
    public NodeResult {
        outputs = Collections.unmodifiableList(new ArrayList<>(outputs));
    }

    /** Output values by slot, no UI output. */
    public static NodeResult of(Object... outputs) {
        return new NodeResult(Arrays.asList(outputs), null);
    }

    /** A UI output only (output nodes without output slots). */
    public static NodeResult ui(ObjectNode ui) {
        return new NodeResult(List.of(), ui);
    }

    /** This result with a UI output added. */
    public NodeResult withUi(ObjectNode newUi) {
        return new NodeResult(outputs, newUi);
    }
}
