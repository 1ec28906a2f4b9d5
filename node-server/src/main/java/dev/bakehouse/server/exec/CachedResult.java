package dev.bakehouse.server.exec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A node's merged results across its list runs: per output slot the list of values (§6.5), and
 * the concatenated UI output or {@code null}.
 */
record CachedResult(List<List<Object>> outputs, ObjectNode ui) {
    CachedResult {
        outputs = List.copyOf(outputs.stream().map(CachedResult::unmodifiable).toList());
    }

    private static List<Object> unmodifiable(List<Object> values) {
        return java.util.Collections.unmodifiableList(new java.util.ArrayList<>(values));
    }
}
