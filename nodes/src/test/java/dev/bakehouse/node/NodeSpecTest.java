package dev.bakehouse.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.node.InputSpec.IntInput;
import dev.bakehouse.node.InputSpec.StringInput;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeSpecTest {
    @Test
    void build_duplicateInputName_isRejectedNamingNodeAndInput() {
        NodeSpec.Builder builder = NodeSpec.builder("Twice")
                .required(StringInput.of("text", ""))
                .optional(StringInput.of("text", "x"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
        assertTrue(e.getMessage().contains("Twice") && e.getMessage().contains("'text'"), e.getMessage());
    }

    @Test
    void build_customValidationOfUndeclaredInput_isRejected() {
        NodeSpec.Builder builder = NodeSpec.builder("Odd").customValidation("ghost");
        assertThrows(IllegalArgumentException.class, builder::build);
    }

    @Test
    void intInput_defaultOutsideRange_isRejectedWithBothValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IntInput.of("steps", 0, 1, 10));
        assertTrue(e.getMessage().contains("0") && e.getMessage().contains("[1, 10]"), e.getMessage());
    }

    @Test
    void builder_defaultsFollowTheReference() {
        NodeSpec spec = NodeSpec.builder("Plain").build();
        assertEquals("Plain", spec.displayName());
        assertEquals("sd", spec.category());
        assertEquals("", spec.description());
        assertEquals(List.of(), spec.outputs());
    }

    @Test
    void registry_duplicateClassType_isRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NodeRegistry.of(List.of(
                        dev.bakehouse.node.primitive.PrimitiveInt::new,
                        dev.bakehouse.node.primitive.PrimitiveInt::new)));
        assertTrue(e.getMessage().contains("PrimitiveInt"), e.getMessage());
    }
}
