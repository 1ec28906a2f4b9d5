package dev.bakehouse.node;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class NodeContextTest {

    @Test
    void requireNamespaced_acceptsDottedNamesOnly() {
        assertDoesNotThrow(() -> NodeContext.requireNamespaced("bakehouse.train"));
        for (String bad : new String[] {"progress", ".train", "bakehouse.", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> NodeContext.requireNamespaced(bad));
            assertEquals("a node's event type must be namespaced like 'bakehouse.train', found '" + bad + "'", e.getMessage());
        }
    }
}
